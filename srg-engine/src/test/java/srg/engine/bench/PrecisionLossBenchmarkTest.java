package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.model.Precision;

/** {@code srg bench bf16-loss} on a tiny shape: both curves, step by step, and nothing left in scratch. */
class PrecisionLossBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void trainsBothWaysOnTheSameBatches() throws Exception {
        TrainingBenchmark.ModelShape tiny = new TrainingBenchmark.ModelShape("llama-tiny", 64, 128, 2, 4, 2, 512);
        Path scratch = tmp.resolve("scratch");
        PrecisionLossBenchmark.Result r = PrecisionLossBenchmark.run(tiny, tmp.resolve("work"), 3, 3, 2, 1e-3, scratch);
        assertEquals(Precision.F32, r.f32().precision());
        assertEquals(Precision.BF16, r.bf16().precision());
        assertEquals(3, r.f32().losses().size());
        assertEquals(3, r.bf16().losses().size());
        assertTrue(r.examples() > 100, "SafetyWorld's SRG set: " + r.examples() + " conversations");
        // The same weights and batch: the first step's losses differ only by BF16 rounding.
        double first = Math.abs(r.bf16().losses().get(0) - r.f32().losses().get(0)) / r.f32().losses().get(0);
        assertTrue(first > 0 && first < 0.01, "first-step loss F32 " + r.f32().losses().get(0) + ", BF16 " + r.bf16().losses().get(0));
        assertTrue(r.worstDifference() >= first && r.lastDifference(10) >= 0, r.toString());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count(), "the runs' folders are removed");
        }
    }
}
