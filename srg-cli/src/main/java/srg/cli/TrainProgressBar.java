package srg.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import srg.run.Console;

/** A training progress bar: step, loss, learning rate, tokens/s and ETA (the bar's own). */
final class TrainProgressBar implements Console.Training {
    private final PrintStream err;
    private final String task;
    private ProgressBar bar;
    private String evalNote = "";

    TrainProgressBar(PrintStream err) {
        this(err, "train");
    }

    TrainProgressBar(PrintStream err, String task) {
        this.err = err;
        this.task = task;
    }

    @Override
    public void started(int firstStep, int totalSteps) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .startsFrom(firstStep, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    @Override
    public void stepped(StepMetrics m) {
        bar.stepTo(m.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f lr %.2e %.0f tok/s%s", m.loss(), m.lr(),
                m.tokensPerSecond(), evalNote));
    }

    @Override
    public void evaluated(int step, double evalLoss) {
        evalNote = String.format(Locale.ROOT, " eval %.4f", evalLoss);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
