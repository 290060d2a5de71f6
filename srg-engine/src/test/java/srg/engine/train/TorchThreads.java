package srg.engine.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs libtorch single-threaded for the duration of a test class. The training tests use models
 * so small that a second OpenMP thread only adds synchronisation, and on a machine shared with
 * other builds a spinning OpenMP team slows them by an order of magnitude.
 */
final class TorchThreads {

    private static int saved = -1;

    private TorchThreads() {}

    static synchronized void single() {
        ai.djl.engine.Engine.getInstance(); // loads libtorch
        if (saved < 0) {
            saved = JniUtils.getNumThreads();
        }
        JniUtils.setNumThreads(1);
    }

    static synchronized void restore() {
        if (saved > 0) {
            JniUtils.setNumThreads(saved);
            saved = -1;
        }
    }
}
