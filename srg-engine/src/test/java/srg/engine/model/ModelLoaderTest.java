package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.engine.TestModels;
import srg.engine.safetensors.Checkpoint;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsWriter;
import srg.engine.safetensors.TensorReader;

class ModelLoaderTest {

    @TempDir
    Path dir;

    private static List<float[]> weights(Path model) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (Transformer t = ModelLoader.load(model, Device.cpu())) {
            for (Transformer.NamedTensor n : t.namedTensors()) {
                out.add(n.toFloatArray());
            }
        }
        return out;
    }

    @Test
    void everyDtypeAndShardingLoadsTheSameWeights() throws IOException {
        Path tok = TestModels.tokenizerFor(ModelFamily.QWEN2);
        RandomCheckpoint.Spec spec = RandomCheckpoint.Spec.of(ModelFamily.QWEN2, RandomCheckpoint.Preset.TINY, tok, 3)
                .withExact16Bit();
        RandomCheckpoint.write(spec, dir.resolve("f32"));
        RandomCheckpoint.write(spec.withDType(DType.BF16), dir.resolve("bf16"));
        RandomCheckpoint.write(spec.withDType(DType.F16), dir.resolve("f16"));
        RandomCheckpoint.write(spec.withMaxShardBytes(8_000_000), dir.resolve("sharded"));
        assertTrue(Files.exists(dir.resolve("sharded/model.safetensors.index.json")));
        assertEquals(DType.BF16, Checkpoint.open(dir.resolve("bf16")).tensors().get("model.norm.weight").dtype());

        List<float[]> reference = weights(dir.resolve("f32"));
        for (String variant : List.of("bf16", "f16", "sharded")) {
            List<float[]> other = weights(dir.resolve(variant));
            assertEquals(reference.size(), other.size());
            for (int i = 0; i < reference.size(); i++) {
                assertArrayEquals(reference.get(i), other.get(i), 0f, variant + " tensor " + i);
            }
        }
    }

    @Test
    void saveThenLoadIsBitIdentical() throws IOException {
        Path src = TestModels.tiny(ModelFamily.QWEN3);
        try (Transformer t = ModelLoader.load(src, Device.cpu())) {
            ModelWriter.save(t, dir.resolve("saved"), DType.F32, src);
        }
        assertTrue(Files.exists(dir.resolve("saved/tokenizer.json")));
        Checkpoint original = Checkpoint.open(src);
        Checkpoint saved = Checkpoint.open(dir.resolve("saved"));
        assertEquals(original.tensors().keySet(), saved.tensors().keySet());
        for (String name : original.tensors().keySet()) {
            float[] a = TensorReader.read(original.tensors().get(name));
            float[] b = TensorReader.read(saved.tensors().get(name));
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    throw new AssertionError(name + "[" + i + "] differs: " + a[i] + " vs " + b[i]);
                }
            }
        }
    }

    @Test
    void unknownModelTypeNamesTheFileAndSupportedTypes() throws IOException {
        Path model = copyOf(TestModels.tiny(ModelFamily.LLAMA));
        editConfig(model, c -> c.put("model_type", "gpt_neox"));
        UserError e = assertThrows(UserError.class, () -> ModelLoader.load(model, Device.cpu()));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("gpt_neox")
                && e.getMessage().contains("qwen3"), e.getMessage());
    }

    @Test
    void missingTensorNamesTheTensorAndShape() throws IOException {
        Path model = copyOf(TestModels.tiny(ModelFamily.LLAMA));
        rewriteWithout(model, "model.layers.1.mlp.down_proj.weight");
        UserError e = assertThrows(UserError.class, () -> ModelLoader.load(model, Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors: missing tensor model.layers.1.mlp.down_proj.weight")
                && e.getMessage().contains("[64, 128]"), e.getMessage());
    }

    @Test
    void untiedCheckpointNeedsItsOwnOutputHead() throws IOException {
        Path model = copyOf(TestModels.tiny(ModelFamily.QWEN2));
        editConfig(model, c -> c.put("tie_word_embeddings", false));
        UserError e = assertThrows(UserError.class, () -> ModelLoader.load(model, Device.cpu()));
        assertTrue(e.getMessage().contains("missing tensor lm_head.weight"), e.getMessage());
    }

    @Test
    void misShapedTensorNamesFileTensorAndExpectedShape() throws IOException {
        Path model = copyOf(TestModels.tiny(ModelFamily.MISTRAL));
        editConfig(model, c -> c.put("intermediate_size", 96));
        UserError e = assertThrows(UserError.class, () -> ModelLoader.load(model, Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("gate_proj.weight")
                && e.getMessage().contains("expected [96, 64]"), e.getMessage());
    }

    private Path copyOf(Path src) throws IOException {
        Path dst = Files.createTempDirectory(dir, "copy");
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    private static void editConfig(Path model, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
        edit.accept(c);
        json.writeValue(model.resolve("config.json").toFile(), c);
    }

    private static void rewriteWithout(Path model, String dropped) throws IOException {
        Checkpoint ckpt = Checkpoint.open(model);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (var t : ckpt.tensors().values()) {
            if (!t.name().equals(dropped)) {
                float[] v = TensorReader.read(t);
                entries.add(new SafetensorsWriter.Entry(t.name(), t.shape(), t.dtype(), () -> java.nio.FloatBuffer.wrap(v)));
            }
        }
        SafetensorsWriter.write(model.resolve("model.safetensors"), entries, Map.of());
    }
}
