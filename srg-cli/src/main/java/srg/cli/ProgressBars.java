package srg.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import srg.eval.EvalProgress;

/** Draws one progress bar per evaluation stage on stderr, and prints warnings there too. */
public final class ProgressBars implements EvalProgress {

    private final PrintWriter err;

    public ProgressBars(PrintWriter err) {
        this.err = err;
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
    public void warn(String message) {
        err.println("warning: " + message);
        err.flush();
    }
}
