package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import srg.eval.SamplingMode;

/** Sequential mode against full mode on the simulated model: what each draws and what it finds. */
class SequentialBenchmarkTest {

    @Test
    void sequentialDrawsFewerSamplesForTheSameFigures() throws Exception {
        int prompts = 40;
        int n = 16;
        List<SequentialBenchmark.Row> rows = SequentialBenchmark.run(SequentialBenchmark.syntheticBehaviors(prompts), 0.9, n, 3);
        assertEquals(List.of(SamplingMode.FULL, SamplingMode.SEQUENTIAL), rows.stream().map(SequentialBenchmark.Row::mode).toList());
        SequentialBenchmark.Row full = rows.get(0);
        SequentialBenchmark.Row sequential = rows.get(1);
        assertEquals((long) prompts * n, full.generated());
        // A prompt stops at its first safe sample: with refusals at 90 % most prompts stop after one or two.
        assertTrue(sequential.generated() < full.generated() / 2, sequential + " vs " + full);
        assertTrue(sequential.generated() >= prompts, sequential.toString());
        assertTrue(full.asr1() > 0 && full.asr1() < 1, full.toString());
        assertTrue(full.asrN() <= full.asr8() && full.asr8() <= full.asr1(), full.toString());
        // Sample i is the same whichever mode draws it, so the same prompts have N unsafe samples. (Below N,
        // full mode's ASR@k averages over all N samples and sequential mode's reads the first k: they differ.)
        assertEquals(full.asrN(), sequential.asrN(), 1e-12);
        assertTrue(Math.abs(full.asr1() - sequential.asr1()) < 0.05, full + " vs " + sequential);
    }

    @Test
    void belowEightSamplesThereIsNoAsrAtEight() throws Exception {
        List<SequentialBenchmark.Row> rows = SequentialBenchmark.run(SequentialBenchmark.syntheticBehaviors(5), 0.5, 4, 1);
        rows.forEach(r -> assertTrue(Double.isNaN(r.asr8()), r.toString()));
    }
}
