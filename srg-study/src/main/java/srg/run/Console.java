package srg.run;

import srg.engine.train.TrainListener;
import srg.eval.EvalProgress;

/**
 * Where a step or a study reports what it does: lines of text, progress per stage (sampling,
 * judging, extraction) and training progress. The command line draws bars on stderr; tests stay
 * silent. Library code knows nothing of terminals.
 */
public interface Console extends EvalProgress {

    /** A line for the user: what is reused, what is trained, where files went. */
    void info(String line);

    /** Progress of one training run, closed when it ends. */
    Training training(String task);

    /** Training progress that ends. */
    interface Training extends TrainListener, AutoCloseable {
        @Override
        void close();
    }

    /** Reports nothing. */
    static Console silent() {
        EvalProgress quiet = EvalProgress.silent();
        return new Console() {
            @Override
            public void info(String line) {}

            @Override
            public Training training(String task) {
                return () -> {};
            }

            @Override
            public Stage stage(String name, long total) {
                return quiet.stage(name, total);
            }

            @Override
            public void warn(String message) {}
        };
    }
}
