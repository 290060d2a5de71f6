package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.engine.LocalModel;
import srg.engine.model.WeightLayout;

/**
 * Full fine-tuning with the embedding frozen trains every other weight and leaves the (tied)
 * embedding bit for bit; with only the known tokens' rows frozen, those rows stay bit for bit and
 * the others train.
 */
class FrozenEmbeddingsTest extends SingleThreadedTorch {

    private static final String EMBED = WeightLayout.Slot.EMBED.tensorName(-1);

    private static Map<String, float[]> train(Path tmp, String run, boolean freeze) throws Exception {
        Path base = WordModels.llama(tmp.resolve(run), Secrets.vocabulary(), 3);
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(6)
                .batchSize(8).gradAccum(1).seed(1).freezeEmbeddings(freeze ? EmbeddingFreeze.ALL : EmbeddingFreeze.NONE).build();
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Map<String, float[]> before = Weights.of(model.transformer());
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            try (Trainer trainer = new Trainer(model.transformer(), config, TrainListener.NONE)) {
                trainer.train(examples, List.of(), tmp.resolve(run).resolve("out"), false);
            }
            Map<String, float[]> after = Weights.of(model.transformer());
            for (Map.Entry<String, float[]> e : before.entrySet()) {
                boolean same = Arrays.equals(e.getValue(), after.get(e.getKey()));
                if (e.getKey().equals(EMBED)) {
                    assertEquals(freeze, same, EMBED + (freeze ? " moved though frozen" : " did not train"));
                } else if (e.getKey().endsWith("proj.weight")) {
                    assertFalse(same, e.getKey() + " did not train");
                }
            }
            return after;
        }
    }

    @Test
    void frozenEmbeddingStaysAndTheRestTrains(@TempDir Path tmp) throws Exception {
        Map<String, float[]> frozen = train(tmp, "frozen", true);
        Map<String, float[]> full = train(tmp, "full", false);
        // Same seed and data: with the embedding trainable the other weights end elsewhere too.
        assertTrue(Weights.maxAbsDifference(frozen, full) > 0);
        assertArrayEquals(frozen.keySet().toArray(), full.keySet().toArray());
    }

    @Test
    void frozenEmbeddingIsPartOfTheRunsIdentityOnlyWhenOn() {
        TrainConfig.Builder b = TrainConfig.builder().mode(TrainConfig.Mode.FULL);
        assertFalse(b.build().resultDefiningJson().has("freeze_embeddings"));
        assertTrue(b.freezeEmbeddings(EmbeddingFreeze.ALL).build().resultDefiningJson().path("freeze_embeddings").asBoolean(),
                "all is written as true, as before known existed, so that those runs keep their identity");
        assertEquals("known", b.freezeEmbeddings(EmbeddingFreeze.KNOWN).build().resultDefiningJson().path("freeze_embeddings").asText());
    }

    @Test
    void aCopyKeepsEverySetting() {
        TrainConfig full = TrainConfig.builder().mode(TrainConfig.Mode.FULL).epochs(7).learningRate(3e-4).betas(0.8, 0.99)
                .seed(9).evalEvery(5).earlyStopping(2).splitByLength(false).freezeEmbeddings(EmbeddingFreeze.KNOWN).build();
        assertEquals(full, full.toBuilder().build());
        TrainConfig lora = TrainConfig.builder().weightDecay(0.1).maxGradNorm(0.5).checkpointEvery(3).build();
        assertEquals(lora, lora.toBuilder().build());
        assertEquals(4, full.toBuilder().earlyStopping(4).build().earlyStopping());
    }

    @Test
    void loraCannotFreezeEmbeddings() {
        SettingError e = assertThrows(SettingError.class,
                () -> TrainConfig.builder().mode(TrainConfig.Mode.LORA).freezeEmbeddings(EmbeddingFreeze.ALL).build());
        assertEquals("freeze_embeddings", e.setting());
    }

    @Test
    void knownTokensRowsStayAndTheOthersTrain(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp.resolve("known"), Secrets.vocabulary(), 3);
        // Weight decay on: decoupled decay would shrink a frozen row whatever its gradient.
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(6).batchSize(8)
                .gradAccum(1).weightDecay(0.1).seed(1).freezeEmbeddings(EmbeddingFreeze.KNOWN).build();
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Set<Integer> known = new HashSet<>();
            for (long id : model.tokenizer().encode(String.join(" ", Secrets.ITEMS))) {
                known.add(Math.toIntExact(id));
            }
            int learnt = Math.toIntExact(model.tokenizer().encode("secret")[0]);
            assertFalse(known.contains(learnt));
            Map<String, float[]> before = Weights.of(model.transformer());
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            try (Trainer trainer = new Trainer(model.transformer(), config, TrainListener.NONE, known)) {
                trainer.train(examples, List.of(), tmp.resolve("known").resolve("out"), false);
            }
            Map<String, float[]> after = Weights.of(model.transformer());
            int width = model.transformer().config().hiddenSize();
            for (int id : known) {
                assertArrayEquals(row(before.get(EMBED), id, width), row(after.get(EMBED), id, width), "known token " + id + " moved");
            }
            assertFalse(Arrays.equals(row(before.get(EMBED), learnt, width), row(after.get(EMBED), learnt, width)),
                    "a token outside the known text did not train");
            assertFalse(Arrays.equals(before.get("model.layers.0.self_attn.q_proj.weight"),
                    after.get("model.layers.0.self_attn.q_proj.weight")), "the projections did not train");
        }
    }

    @Test
    void theKnownTokensArePretrainingsTokensMarkersIncluded(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp.resolve("vocabulary"), Secrets.vocabulary(), 3);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Set<Integer> known = CorpusPacker.vocabularyOf(List.of("apple river", "stone"), model.tokenizer());
            Set<Integer> expected = new HashSet<>();
            for (long id : model.tokenizer().encode("apple river stone")) {
                expected.add(Math.toIntExact(id));
            }
            // Every document ends with eos in pretraining, so its row was trained there too.
            expected.add(model.tokenizer().info().specialTokens().get(model.tokenizer().info().eosToken()));
            assertEquals(expected, known);
        }
    }

    @Test
    void knownNeedsTheKnownTokens() throws Exception {
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).freezeEmbeddings(EmbeddingFreeze.KNOWN).build();
        Path base = WordModels.llama(Files.createTempDirectory("known"), Secrets.vocabulary(), 3);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            SettingError e = assertThrows(SettingError.class, () -> new Trainer(model.transformer(), config, TrainListener.NONE));
            assertEquals("freeze_embeddings", e.setting());
        }
    }

    @Test
    void freezeSettingValues() {
        assertEquals(EmbeddingFreeze.ALL, EmbeddingFreeze.parse("true"));
        assertEquals(EmbeddingFreeze.NONE, EmbeddingFreeze.parse("false"));
        assertEquals(EmbeddingFreeze.KNOWN, EmbeddingFreeze.parse("Known"));
        assertEquals("freeze_embeddings", assertThrows(SettingError.class, () -> EmbeddingFreeze.parse("rows")).setting());
    }

    private static float[] row(float[] matrix, int row, int width) {
        return Arrays.copyOfRange(matrix, row * width, (row + 1) * width);
    }
}
