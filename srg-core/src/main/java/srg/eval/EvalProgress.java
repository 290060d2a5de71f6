package srg.eval;

/**
 * Where the evaluation reports its stages: the CLI draws a progress bar per stage, tests stay
 * silent. Core code knows nothing of terminals.
 */
public interface EvalProgress {

    /** One stage of known size (attack, sample, judge). */
    interface Stage extends AutoCloseable {
        void step(long n);

        @Override
        void close();
    }

    Stage stage(String name, long total);

    /** Something the user should know (errors left out, fallbacks taken); also recorded in results.json. */
    void warn(String message);

    /** Reports nothing. */
    static EvalProgress silent() {
        return new EvalProgress() {
            @Override
            public Stage stage(String name, long total) {
                return new Stage() {
                    @Override
                    public void step(long n) {}

                    @Override
                    public void close() {}
                };
            }

            @Override
            public void warn(String message) {}
        };
    }
}
