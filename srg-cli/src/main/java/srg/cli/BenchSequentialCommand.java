package srg.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.engine.bench.SequentialBenchmark;

/**
 * {@code srg bench sequential}: generations that sequential mode saves against full mode, on a
 * simulated model that refuses most of the time, through the whole pipeline (run store, keyword judge).
 */
@Command(
        name = "sequential",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "Generations saved by sequential mode, on a simulated model.",
            "",
            "Compares --mode sequential with --mode full on a SIMULATED model (sim:refuse=P:",
            "each prompt refuses with its own probability, mean P), judged by the keyword judge,",
            "through the whole srg eval pipeline.",
        })
final class BenchSequentialCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "FILE", description = "Behaviors to use (default: --prompts synthetic ones).")
    String dataset;

    @Option(names = "--prompts", defaultValue = "500", description = "Synthetic prompts when no --dataset (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--n", defaultValue = "64", description = "N (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--refuse", defaultValue = "0.9", description = "Mean refusal probability of the simulated model (default: ${DEFAULT-VALUE}).")
    double refuse;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (n < 1 || prompts < 1 || !(refuse >= 0 && refuse <= 1)) {
            throw new UserError("--n and --prompts must be >= 1, --refuse in [0, 1]");
        }
        List<Behavior> behaviors = dataset != null ? DatasetLoader.load(DatasetSpec.parse(dataset), true).harmful()
                : SequentialBenchmark.syntheticBehaviors(prompts);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "simulated model sim:refuse=%s, %d prompts, N=%d, keyword judge%n", refuse, behaviors.size(), n);
        out.printf(Locale.ROOT, "%-11s %12s %12s %9s %9s %9s %8s%n", "mode", "generations", "of full", "ASR@1", "ASR@N", "ASR@8", "wall s");
        List<SequentialBenchmark.Row> rows = SequentialBenchmark.run(behaviors, refuse, n, seed);
        long fullGenerated = rows.get(0).generated();
        for (SequentialBenchmark.Row r : rows) {
            out.printf(Locale.ROOT, "%-11s %12d %11.1f%% %8.1f%% %8.1f%% %8.1f%% %8.1f%n", r.mode().wireName(), r.generated(),
                    100.0 * r.generated() / fullGenerated, 100 * r.asr1(), 100 * r.asrN(), 100 * r.asr8(), r.seconds());
        }
        return 0;
    }
}
