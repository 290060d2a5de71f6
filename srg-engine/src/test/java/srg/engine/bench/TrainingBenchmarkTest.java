package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.TestModels;
import srg.engine.model.Precision;
import srg.engine.train.TrainConfig;

/** `srg bench train` on a tiny shape: it measures, and leaves its scratch folder as it found it. */
class TrainingBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void measuresAndCleansUpTheTrainersFiles() throws Exception {
        TrainingBenchmark.ModelShape tiny = new TrainingBenchmark.ModelShape("llama-tiny", 64, 128, 2, 4, 2, 512);
        Path checkpoint = TrainingBenchmark.checkpoint(tiny, tmp.resolve("work"),
                TestModels.shared().resolve("tokenizers").resolve("llama3"));
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        TrainingBenchmark.Result r = TrainingBenchmark.run(checkpoint, tiny.name(), TrainConfig.Mode.FULL, Precision.F32, 2, 16, 1, 2, 1e9,
                scratch);
        assertEquals(2, r.measuredSteps());
        assertTrue(r.tokensPerSecond() > 0 && Double.isFinite(r.tokensPerSecond()), "tokens/s " + r.tokensPerSecond());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count(), "the benchmark's run folder (log, resume record) is removed");
        }
    }
}
