package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.engine.LocalModel;

/** {@code anchor_params}: the anchor pull holds only the weights its pattern names, and the rest train free. */
class AnchorParamsTest extends SingleThreadedTorch {

    private static TrainConfig.Builder full() {
        return TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(4).batchSize(8).gradAccum(1).seed(1);
    }

    /** Each weight's distance from where it began, after four steps with {@code config}. */
    private static Map<String, Double> moves(Path dir, TrainConfig config) throws Exception {
        Path base = WordModels.llama(dir.resolve("base"), Secrets.vocabulary(), 3);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Map<String, float[]> before = Weights.of(model.transformer());
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            try (Trainer trainer = new Trainer(model.transformer(), config, TrainListener.NONE)) {
                trainer.train(examples, List.of(), dir.resolve("out"), false);
            }
            Map<String, float[]> after = Weights.of(model.transformer());
            Map<String, Double> out = new TreeMap<>();
            before.forEach((name, start) -> {
                float[] end = after.get(name);
                double sum = 0;
                for (int i = 0; i < start.length; i++) {
                    sum += (double) (end[i] - start[i]) * (end[i] - start[i]);
                }
                out.put(name, Math.sqrt(sum));
            });
            return out;
        }
    }

    @Test
    void onlyTheNamedWeightsAreHeld(@TempDir Path tmp) throws Exception {
        // lr × anchor_decay = 1 at the schedule's peak: a held weight is taken most of the way back at every step.
        Map<String, Double> free = moves(tmp.resolve("free"), full().build());
        Map<String, Double> some = moves(tmp.resolve("some"), full().anchorDecay(100).anchorParams("model\\.layers\\.0\\..*").build());
        int held = 0;
        int loose = 0;
        for (String name : free.keySet()) {
            if (!name.endsWith("proj.weight")) {
                continue;
            }
            assertTrue(free.get(name) > 0, name + " did not train");
            if (name.startsWith("model.layers.0.")) {
                assertTrue(some.get(name) < 0.25 * free.get(name), name + " moved " + some.get(name) + " under the pull, "
                        + free.get(name) + " without it");
                held++;
            } else {
                // The free weights see other gradients once layer 0 is held, but they do train.
                assertTrue(some.get(name) > 0.5 * free.get(name), name + " moved " + some.get(name) + " though not held, "
                        + free.get(name) + " without a pull");
                loose++;
            }
        }
        assertTrue(held > 0 && loose > 0, held + " held, " + loose + " free");
    }

    @Test
    void aPatternThatHoldsNothingIsRefused(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp.resolve("base"), Secrets.vocabulary(), 3);
        TrainConfig config = full().anchorDecay(3).anchorParams("layers\\.0\\..*").build(); // not anchored at the start
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            SettingError e = assertThrows(SettingError.class, () -> new Trainer(model.transformer(), config, TrainListener.NONE));
            assertEquals("anchor_params", e.setting());
        }
    }

    @Test
    void theSettingIsCheckedAndPartOfTheRunsIdentityOnlyWhenGiven() {
        SettingError off = assertThrows(SettingError.class, () -> full().anchorParams("model\\..*").build());
        assertEquals("anchor_params", off.setting());
        assertTrue(off.message(s -> "--" + s.replace('_', '-')).contains("--anchor-decay"), off.getMessage());
        SettingError bad = assertThrows(SettingError.class, () -> full().anchorDecay(3).anchorParams("model.(layers").build());
        assertEquals("anchor_params", bad.setting());
        assertTrue(bad.getMessage().contains("model.(layers"), bad.getMessage());
        assertFalse(full().anchorDecay(3).build().resultDefiningJson().has("anchor_params"));
        TrainConfig some = full().anchorDecay(3).anchorParams("model\\.layers\\.[01]\\..*").build();
        assertEquals("model\\.layers\\.[01]\\..*", some.resultDefiningJson().path("anchor_params").asText());
        assertEquals(some, some.toBuilder().build());
        assertTrue(some.anchors("model.layers.1.mlp.up_proj.weight"));
        assertFalse(some.anchors("model.layers.2.mlp.up_proj.weight"));
        assertFalse(some.anchors("xmodel.layers.1.mlp.up_proj.weight"), "the pattern matches the whole name");
        assertTrue(full().anchorDecay(3).build().anchors("model.norm.weight"), "no pattern: every weight");
    }
}
