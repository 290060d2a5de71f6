package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.LocalModel;
import srg.engine.lora.LoraAdapters;
import srg.engine.lora.PeftAdapter;
import srg.engine.model.ModelWriter;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsFile;
import srg.engine.safetensors.TensorInfo;

/** LoRA training leaves the base alone; the saved adapter, loaded or merged, gives the trained model. */
class LoraTest extends SingleThreadedTorch {

    @TempDir
    static Path tmp;
    static Path base;
    static Path adapterDir;
    static float[] trainedLogits;
    static Map<String, float[]> baseBefore;
    static Map<String, float[]> baseAfter;
    static double firstLoss;
    static double lastLoss;

    static final long[][] PROBE = {{1, 7, 9, 12, 30, 31, 2}, {1, 5, 20, 21, 22, 8, 2}};

    @BeforeAll
    static void trainOnce() throws IOException {
        base = WordModels.llama(tmp, Secrets.vocabulary(), 5);
        adapterDir = tmp.resolve("adapter");
        TrainConfig config = TrainConfig.builder().learningRate(1e-2).epochs(10).batchSize(4).gradAccum(2).seed(3)
                .build();
        double[] losses = new double[2];
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            baseBefore = Weights.of(model.transformer());
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            try (Trainer trainer = new Trainer(model.transformer(), config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    if (m.step() == 1) {
                        losses[0] = m.loss();
                    }
                    losses[1] = m.loss();
                }
            })) {
                trainer.train(examples, List.of(), tmp.resolve("run"), false);
                PeftAdapter.save(trainer.adapters(), adapterDir, base.toString());
                trainedLogits = Weights.logits(model.transformer(), trainer.adapters(), PROBE);
                baseAfter = Weights.of(model.transformer());
                LoraAdapters adapters = trainer.adapters();
                adapters.mergeInto(model.transformer());
                ModelWriter.save(model.transformer(), tmp.resolve("merged"), DType.F32, base);
            }
        }
        firstLoss = losses[0];
        lastLoss = losses[1];
    }


    @Test
    void trainingLowersTheLossAndLeavesBaseWeightsBitIdentical() {
        // A random tiny model's frozen tied embeddings bound its logits, so LoRA alone cannot
        // drive this loss far down; a clear drop shows the adapters learn.
        assertTrue(lastLoss < firstLoss - 0.4, "loss " + firstLoss + " -> " + lastLoss);
        assertEquals(baseBefore.keySet(), baseAfter.keySet());
        for (String name : baseBefore.keySet()) {
            assertArrayEquals(baseBefore.get(name), baseAfter.get(name), name);
        }
    }

    @Test
    void adapterFolderHasThePeftLayout() throws IOException {
        JsonNode cfg = new ObjectMapper().readTree(adapterDir.resolve("adapter_config.json").toFile());
        assertEquals("LORA", cfg.get("peft_type").asText());
        assertEquals(16, cfg.get("r").asInt());
        assertEquals(32.0, cfg.get("lora_alpha").asDouble());
        assertEquals(7, cfg.get("target_modules").size());
        Map<String, TensorInfo> tensors = SafetensorsFile.open(adapterDir.resolve("adapter_model.safetensors")).tensors();
        assertEquals(2 * 7 * 2, tensors.size());
        assertArrayEquals(new long[] {16, 64},
                tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape());
        assertArrayEquals(new long[] {128, 16},
                tensors.get("base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight").shape());
        assertArrayEquals(new long[] {64, 16},
                tensors.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").shape());
    }

    @Test
    void baseWithAdapterLoadedEqualsTheTrainedModel() throws IOException {
        try (LocalModel loaded = LocalModel.load(base, adapterDir, Device.cpu())) {
            double diff = Weights.maxAbsDifference(trainedLogits, Weights.logits(loaded.transformer(), null, PROBE));
            assertTrue(diff < 1e-4, "max |logit difference| " + diff);
        }
        try (LocalModel untouched = LocalModel.load(base, Device.cpu())) {
            assertEquals(0.0, Weights.maxAbsDifference(baseBefore, Weights.of(untouched.transformer())),
                    "the base folder is unchanged");
            double moved = Weights.maxAbsDifference(trainedLogits, Weights.logits(untouched.transformer(), null, PROBE));
            assertTrue(moved > 1e-2, "the adapter changes the model (" + moved + ")");
        }
    }

    @Test
    void mergedCheckpointEqualsBasePlusAdapter() throws IOException {
        try (LocalModel merged = LocalModel.load(tmp.resolve("merged"), Device.cpu())) {
            double diff = Weights.maxAbsDifference(trainedLogits, Weights.logits(merged.transformer(), null, PROBE));
            assertTrue(diff < 1e-4, "max |logit difference| " + diff);
        }
    }
}
