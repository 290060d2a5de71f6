package srg.engine.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the training tests: libtorch runs single-threaded while they do. Their models are so
 * small that a second OpenMP thread only adds synchronisation, and on a machine shared with other
 * builds a spinning OpenMP team slows them by an order of magnitude.
 */
abstract class SingleThreadedTorch {

    private static int saved = -1;

    @BeforeAll
    static void singleThread() {
        Engine.getInstance(); // loads libtorch
        saved = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        if (saved > 0) {
            JniUtils.setNumThreads(saved);
        }
    }
}
