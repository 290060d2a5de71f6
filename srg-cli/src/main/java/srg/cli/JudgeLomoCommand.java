package srg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.judge.JudgeValidation;
import srg.judge.LabelFile;
import srg.judge.LeaveOneModelOut;

/** {@code srg judge lomo}: leave-one-model-out accuracy of the refusal classifier, beside other judges. */
@Command(
        name = "lomo",
        mixinStandardHelpOptions = true,
        description = {
            "Leave-one-model-out evaluation of the refusal classifier.",
            "",
            "Each --labels file holds one model's labelled completions. For each in turn, a classifier",
            "is trained on the other files and the --always files, and scored on the one held out;",
            "every --compare judge is scored on the same file. Prints a Markdown table (refusal, full",
            "or partial, is the positive class) and, with --by, the classifier's breakdown per fold.",
        },
        usageHelpWidth = 100,
        footer = {"", "Example (docs/EVAL.md):",
            "  srg judge lomo --labels xstest_v2_completions_gpt4.csv --labels xstest_v2_completions_llama2new.csv \\",
            "      --labels xstest_v2_completions_llama2orig.csv --labels xstest_v2_completions_mistralguard.csv \\",
            "      --labels xstest_v2_completions_mistralinstruct.csv \\",
            "      --always ../shared/data/refusals/adv_training_behaviors_safe_responses.csv \\",
            "      --always ../shared/data/refusals/adv_training_behaviors_safe_responses_longer.csv \\",
            "      --compare keyword --compare keyword:gcg --by final_label"})
final class JudgeLomoCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--labels", required = true, paramLabel = "FILE.csv", description = "One model's labelled completions (at least two).")
    List<Path> labels = new ArrayList<>();

    @Option(names = "--always", paramLabel = "FILE.csv", description = "Labelled responses every fold trains on (repeatable).")
    List<Path> always = new ArrayList<>();

    @Option(names = "--compare", paramLabel = "SPEC", description = "A judge to score on each held-out file too (repeatable).")
    List<String> compare = new ArrayList<>();

    @Option(names = "--by", paramLabel = "COLUMN", description = "Break the classifier's scores down by this column, e.g. final_label.")
    String by;

    @Mixin
    ClassifierOptions options = new ClassifierOptions();

    @Override
    public Integer call() {
        List<LabelFile> models = labels.stream().map(p -> LabelFile.read(p, by)).toList();
        List<LabelFile> fixed = always.stream().map(p -> LabelFile.read(p, null)).toList();
        List<LeaveOneModelOut.Fold> folds = LeaveOneModelOut.run(models, fixed, options.toOptions(), by, compare,
                w -> spec.commandLine().getErr().println("warning: " + w));
        var out = spec.commandLine().getOut();
        out.println("| held out | rows | judge | accuracy | refusal precision | refusal recall |");
        out.println("|---|---|---|---|---|---|");
        for (LeaveOneModelOut.Fold fold : folds) {
            out.println(row(fold.heldOut(), "refusal-classifier (trained on " + fold.trainingRows() + " rows)", fold.result()));
            for (JudgeValidation.Result compared : fold.compared()) {
                out.println(row(fold.heldOut(), compared.judge(), compared));
            }
        }
        if (by != null) {
            for (LeaveOneModelOut.Fold fold : folds) {
                out.println();
                out.println("held out " + fold.heldOut().name());
                out.print(fold.result().format());
            }
        }
        out.flush();
        return 0;
    }

    private static String row(LabelFile heldOut, String judge, JudgeValidation.Result r) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %.1f%% | %.1f%% | %.1f%% |", heldOut.name(), r.rows(), judge,
                100 * r.counts().accuracy(), 100 * r.counts().precision(), 100 * r.counts().recall());
    }
}
