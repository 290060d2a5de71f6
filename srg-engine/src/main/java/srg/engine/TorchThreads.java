package srg.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count: how many cores one tensor operation may use. It starts at
 * OMP_NUM_THREADS, or the core count. Setting it holds for operations this thread runs from then
 * on (libtorch keeps the count per calling thread; srg runs a model's operations on the thread
 * that called it), and for threads that first run an operation after that.
 */
public final class TorchThreads {

    static {
        Offline.enforce();
    }

    private TorchThreads() {}

    /** The intra-op thread count of the calling thread. */
    public static int count() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /** Sets the intra-op thread count of the calling thread (and the default of new ones). */
    public static void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Engine.getInstance();
        JniUtils.setNumThreads(threads);
    }
}
