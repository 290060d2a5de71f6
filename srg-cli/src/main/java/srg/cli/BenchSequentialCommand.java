package srg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalProgress;
import srg.eval.EvalResults;
import srg.attack.PlainPrompt;
import srg.eval.SamplingMode;
import srg.judge.Judge;
import srg.judge.RefusalKeywordJudge;
import srg.model.SimulatedChatModel;
import srg.store.RunStore;

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
        List<Behavior> behaviors = new ArrayList<>();
        if (dataset != null) {
            behaviors.addAll(DatasetLoader.load(DatasetSpec.parse(dataset), true).harmful());
        } else {
            for (int i = 0; i < prompts; i++) {
                behaviors.add(Behavior.harmful("p" + i, "synthetic harmful request " + i, ""));
            }
        }
        SimulatedChatModel model = new SimulatedChatModel("sim-refuse" + refuse, refuse, seed);
        Judge judge = RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "simulated model sim:refuse=%s, %d prompts, N=%d, keyword judge%n", refuse, behaviors.size(), n);
        out.printf(Locale.ROOT, "%-11s %12s %12s %9s %9s %9s %8s%n", "mode", "generations", "of full", "ASR@1", "ASR@N", "ASR@8", "wall s");
        long fullGenerated = 0;
        for (SamplingMode mode : SamplingMode.values()) {
            Path dir = Files.createTempDirectory("srg-bench-sequential");
            try (RunStore store = RunStore.open(dir)) {
                EvalConfig config = new EvalConfig(behaviors, List.of(), List.of(new PlainPrompt(0)), "", n, mode,
                        SamplingParams.of(1.0, 256, seed), 1, 512, 256, 0, seed);
                long start = System.nanoTime();
                EvalResults r = new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(model), judge, judge);
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalResults.AttackResults a = r.models().get(model.id()).attacks().get(PlainPrompt.NAME);
                if (mode == SamplingMode.FULL) {
                    fullGenerated = a.generated();
                }
                out.printf(Locale.ROOT, "%-11s %12d %11.1f%% %8.1f%% %8.1f%% %8.1f%% %8.1f%n", mode.wireName(), a.generated(),
                        100.0 * a.generated() / fullGenerated, 100 * a.all().asr(1), 100 * a.all().asr(n),
                        n >= 8 ? 100 * a.all().asr(8) : Double.NaN, seconds);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }
}
