package srg.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import srg.run.Console;

/**
 * Draws one progress bar per stage (sampling, judging, extraction) on stderr, prints lines and
 * warnings there too, and training bars on the process's stderr.
 */
final class ProgressBars implements Console {

    private final PrintWriter err;
    private final String warningPrefix;

    ProgressBars(PrintWriter err) {
        this(err, "warning: ");
    }

    /** Warnings begin with {@code warningPrefix}: a command that speaks for itself says {@code srg attack: }. */
    ProgressBars(PrintWriter err, String warningPrefix) {
        this.err = err;
        this.warningPrefix = warningPrefix;
    }

    @Override
    public Stage stage(String name, long total) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .continuousUpdate()
                .build();
        return new Stage() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    @Override
    public void info(String line) {
        err.println(line);
        err.flush();
    }

    @Override
    public Training training(String task) {
        return new TrainProgressBar(System.err, task);
    }

    @Override
    public void warn(String message) {
        err.println(warningPrefix + message);
        err.flush();
    }
}
