package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.judge.Judge;
import srg.judge.JudgeSpec;
import srg.judge.JudgeValidation;
import srg.judge.Judges;
import srg.judge.LabelledResponse;
import srg.judge.ValidationSection;
import srg.run.ModelOpener;

/** {@code srg judge validate}: accuracy, precision, recall and the confusion matrix of a judge on human refusal labels. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a judge against human refusal labels.",
            "",
            "Prints accuracy, precision, recall, F1 and the confusion matrix, with refusal (full or",
            "partial) as the positive class; --by breaks them down by a column (XSTest: type, or",
            "final_label to see partial refusals apart) and --report writes them, with the rows the",
            "judge got wrong, as an HTML report. Labels: XSTest completions (final_label",
            "1_full_compliance, 2_full_refusal, 3_partial_refusal), or any CSV with prompt,",
            "response|completion, label.",
        },
        usageHelpWidth = 100,
        footer = {"", "Judge SPEC:", JudgeSpec.SYNTAX, "", "MODEL: see srg eval --help.", "",
            "Example:",
            "  srg judge validate --labels ../shared/data/xstest/xstest_v2_completions_gpt4.csv --by type --report gpt4.html"})
final class JudgeValidateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--judge", defaultValue = Judges.DEFAULT, paramLabel = "SPEC", description = "The judge to validate (default: ${DEFAULT-VALUE}).")
    String judge;

    @Option(names = "--labels", required = true, paramLabel = "FILE.csv", description = "Responses with human labels.")
    Path labels;

    @Option(names = "--subset", defaultValue = "all", paramLabel = "all|harmful|benign",
            description = "Rows to use, by prompt (XSTest contrast_ types are harmful) (default: ${DEFAULT-VALUE}).")
    String subset;

    @Option(names = "--by", paramLabel = "COLUMN", description = "Break the scores down by this column's values, e.g. type.")
    String by;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write the scores, confusion matrix and misses as an HTML report.")
    Path report;

    @Option(names = "--batch", defaultValue = "64", description = "Responses per judge call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        JudgeValidation.Subset which = JudgeValidation.Subset.parse(subset);
        List<LabelledResponse> rows = JudgeValidation.readLabels(labels, which, by);
        try (Judge j = Judges.open(JudgeSpec.parse(judge), ModelOpener::open, w -> spec.commandLine().getErr().println("warning: " + w))) {
            JudgeValidation.Result result;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("judge " + j.id()).setInitialMax(rows.size())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build()) {
                result = JudgeValidation.validate(j, rows, by, batch, bar::stepBy);
            }
            String what = which.describe(labels);
            spec.commandLine().getOut().println("labels     " + what);
            spec.commandLine().getOut().print(result.format());
            if (report != null) {
                ValidationSection.report(what, result).write(report);
                spec.commandLine().getOut().println("report     " + report);
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
