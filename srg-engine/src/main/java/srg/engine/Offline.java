package srg.engine;

/**
 * Keeps DJL offline. Without {@code ai.djl.offline=true} DJL may try to download a PyTorch build
 * or a tokenizer when it starts; srg must never reach the network from the engine, whether it runs
 * from {@code ./srg}, from the jar directly or as a library. Every class that first touches DJL
 * calls {@link #enforce()} in its static initializer.
 */
public final class Offline {

    private Offline() {}

    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
    }
}
