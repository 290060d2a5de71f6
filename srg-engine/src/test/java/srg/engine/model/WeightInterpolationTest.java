package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.UserError;
import srg.engine.TestModels;
import srg.engine.safetensors.Checkpoint;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;

class WeightInterpolationTest {

    @TempDir
    Path dir;

    private Path random(String name, ModelFamily family, long seed) throws IOException {
        Path out = dir.resolve(name);
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(family, RandomCheckpoint.Preset.TINY, TestModels.tokenizerFor(family), seed), out);
        return out;
    }

    private static float[] tensor(Path model, String name) throws IOException {
        return TensorReader.read(Checkpoint.open(model).tensors().get(name));
    }

    @Test
    void everyWeightLiesOnTheLineFromBaseToTuned() throws IOException {
        Path base = random("base", ModelFamily.LLAMA, 1);
        Path tuned = random("tuned", ModelFamily.LLAMA, 2);
        Path quarter = dir.resolve("quarter");
        WeightInterpolation.write(base, tuned, 0.25, quarter);

        Checkpoint out = Checkpoint.open(quarter);
        assertEquals(Checkpoint.open(tuned).tensors().keySet(), out.tensors().keySet());
        int checked = 0;
        for (TensorInfo t : out.tensors().values()) {
            float[] w0 = tensor(base, t.name());
            float[] w1 = tensor(tuned, t.name());
            float[] w = TensorReader.read(t);
            for (int i = 0; i < w.length; i++) {
                assertEquals(w0[i] + 0.25f * (w1[i] - w0[i]), w[i], 1e-6f, t.name() + "[" + i + "]");
            }
            checked += w.length;
        }
        assertTrue(checked > 10_000, "the tiny model has weights to check: " + checked);
        assertTrue(Files.exists(quarter.resolve("config.json")) && Files.exists(quarter.resolve("tokenizer.json")),
                "a loadable folder: config and tokenizer beside the weights");
        try (Transformer t = ModelLoader.load(quarter, ai.djl.Device.cpu())) {
            assertEquals(Checkpoint.open(tuned).tensors().size(), t.namedTensors().size());
        }
    }

    @Test
    void alphaOneIsTheTunedModelExactly() throws IOException {
        Path base = random("base", ModelFamily.LLAMA, 1);
        Path tuned = random("tuned", ModelFamily.LLAMA, 2);
        WeightInterpolation.write(base, tuned, 1.0, dir.resolve("one"));
        for (String name : Checkpoint.open(tuned).tensors().keySet()) {
            assertArrayEquals(tensor(tuned, name), tensor(dir.resolve("one"), name), 0f, name);
        }
    }

    @Test
    void modelsOfDifferentShapesAndBadAlphasAreRefusedByName() throws IOException {
        Path llama = random("llama", ModelFamily.LLAMA, 1);
        Path qwen = random("qwen", ModelFamily.QWEN3, 1);
        UserError shapes = assertThrows(UserError.class, () -> WeightInterpolation.write(llama, qwen, 0.5, dir.resolve("x")));
        assertTrue(shapes.getMessage().contains("do not hold the same tensors") || shapes.getMessage().contains("has shape"),
                shapes.getMessage());
        SettingError alpha = assertThrows(SettingError.class, () -> WeightInterpolation.write(llama, llama, 0, dir.resolve("y")));
        assertTrue(alpha.getMessage().startsWith("alpha: must be in (0, 1]"), alpha.getMessage());
        SettingError same = assertThrows(SettingError.class, () -> WeightInterpolation.write(llama, qwen, 0.5, qwen));
        assertTrue(same.getMessage().contains("one of the interpolated models"), same.getMessage());
    }
}
