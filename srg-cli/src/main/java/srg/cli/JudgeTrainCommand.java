package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.judge.LabelFile;
import srg.judge.LeaveOneModelOut;
import srg.judge.RefusalClassifier;

/** {@code srg judge train}: trains the refusal classifier of {@code --judge refusal-classifier}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a refusal classifier on labelled responses.",
            "",
            "Word n-grams of the response (whole text and opening tokens), TF-IDF, L2 logistic",
            "regression with both classes weighted equally. Deterministic: the same files and",
            "options give the same model file, byte for byte. Use it with",
            "--judge refusal-classifier:model=FILE. Label files as in srg judge validate; HarmBench's",
            "Behavior,Safe_Response CSVs and .txt files (one a line) count as refusals only.",
        },
        usageHelpWidth = 100,
        footer = {"", "The classifier srg ships (docs/EVAL.md):",
            "  srg judge train --labels ../shared/data/xstest/xstest_v2_completions_gpt4.csv \\",
            "      --labels ../shared/data/xstest/xstest_v2_completions_llama2new.csv \\",
            "      --labels ../shared/data/refusals/adv_training_behaviors_safe_responses.csv \\",
            "      --labels ../shared/data/refusals/adv_training_behaviors_safe_responses_longer.csv \\",
            "      --labels srg-core/src/main/resources/srg/synth/refusals.txt \\",
            "      --out srg-core/src/main/resources/srg/judge/refusal_classifier.tsv.gz"})
final class JudgeTrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--labels", required = true, paramLabel = "FILE.csv", description = "Labelled responses (repeatable).")
    List<Path> labels = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE.tsv.gz", description = "Where to write the model.")
    Path out;

    @Mixin
    ClassifierOptions options = new ClassifierOptions();

    @Override
    public Integer call() throws IOException {
        RefusalClassifier.Options o = options.toOptions();
        List<LabelFile> files = labels.stream().map(p -> LabelFile.read(p, null)).toList();
        long start = System.nanoTime();
        RefusalClassifier classifier = LeaveOneModelOut.train(files, o);
        classifier.write(out);
        var w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "trained on %s rows from %d files in %.1f s: %d n-gram features%n", classifier.meta().get("rows"), files.size(),
                (System.nanoTime() - start) / 1e9, classifier.size());
        w.println("wrote " + out + " (id refusal-classifier:" + classifier.fingerprint() + ")");
        w.flush();
        return 0;
    }
}
