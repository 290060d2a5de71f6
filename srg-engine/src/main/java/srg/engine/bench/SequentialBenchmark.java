package srg.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import srg.attack.PlainPrompt;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalProgress;
import srg.eval.EvalResults;
import srg.eval.SamplingMode;
import srg.judge.Judge;
import srg.judge.RefusalKeywordJudge;
import srg.model.SimulatedChatModel;
import srg.store.RunStore;

/**
 * The generations that sequential mode saves against full mode: the same behaviors, N and seed
 * through the whole Best-of-N pipeline (a run store in a temporary folder, the keyword judge) on a
 * simulated model that refuses each prompt with its own probability, once per sampling mode.
 */
public final class SequentialBenchmark {

    /**
     * One sampling mode's run.
     *
     * @param generated samples drawn
     * @param asr8 ASR@8, NaN when N is below 8
     */
    public record Row(SamplingMode mode, long generated, double asr1, double asrN, double asr8, double seconds) {}

    private SequentialBenchmark() {}

    /** {@code count} synthetic harmful requests, for a run without a dataset. */
    public static List<Behavior> syntheticBehaviors(int count) {
        List<Behavior> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Behavior.harmful("p" + i, "synthetic harmful request " + i, ""));
        }
        return out;
    }

    /**
     * One row per sampling mode, full first; each run starts from an empty store. The simulated
     * model refuses each prompt with its own probability, {@code refuse} on average.
     */
    public static List<Row> run(List<Behavior> behaviors, double refuse, int n, long seed) throws IOException {
        SimulatedChatModel model = new SimulatedChatModel("sim-refuse" + refuse, refuse, seed);
        Judge judge = RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE);
        List<Row> rows = new ArrayList<>();
        for (SamplingMode mode : SamplingMode.values()) {
            Path dir = Files.createTempDirectory("srg-bench-sequential");
            try (RunStore store = RunStore.open(dir)) {
                EvalConfig config = new EvalConfig(behaviors, List.of(), List.of(new PlainPrompt(0)), "", n, mode,
                        SamplingParams.of(1.0, 256, seed), 1, 512, 256, 0, seed);
                long start = System.nanoTime();
                EvalResults r = new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(model), judge, judge);
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalResults.AttackResults a = r.models().get(model.id()).attacks().get(PlainPrompt.NAME);
                rows.add(new Row(mode, a.generated(), a.all().asr(1), a.all().asr(n), n >= 8 ? a.all().asr(8) : Double.NaN,
                        seconds));
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return rows;
    }
}
