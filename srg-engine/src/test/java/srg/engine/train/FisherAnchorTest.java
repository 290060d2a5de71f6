package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.engine.LocalModel;
import srg.engine.model.Transformer;
import srg.engine.model.WeightLayout;

/**
 * {@code anchor_importance: fisher}: the pull holds each weight by its importance to the base's text
 * (the diagonal of the empirical Fisher information there, mean 1), each element at most all the way back.
 */
class FisherAnchorTest extends SingleThreadedTorch {

    @Test
    void eachElementIsPulledByItsShareAndNeverPastTheAnchor() {
        float[] start = {0.5f, -1.0f, 2.0f};
        float[] slope = {3f, -4f, 0.5f};
        float[] share = {0.2f, 1.0f, 50f}; // the last: lr · anchor · share > 1, so it is put back exactly
        double lr = 0.05;
        double anchor = 4.0;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(start);
            NDArray c = m.create(slope);
            w.setRequiresGradient(true);
            List<NDArray> importance = new ArrayList<>(List.of(m.create(share)));
            try (AdamW opt = new AdamW(List.of(new TrainableParameter("w", w, true)), m, 0.9, 0.99, 1e-8, 0.0, anchor, importance)) {
                double[] mom = new double[3];
                double[] vel = new double[3];
                double[] want = {start[0], start[1], start[2]};
                for (int step = 1; step <= 3; step++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(c).sum());
                    }
                    opt.update(lr, 1.0, step);
                    for (int i = 0; i < 3; i++) {
                        mom[i] = 0.9 * mom[i] + 0.1 * slope[i];
                        vel[i] = 0.99 * vel[i] + 0.01 * slope[i] * slope[i];
                        want[i] -= lr * (mom[i] / (1 - Math.pow(0.9, step))) / (Math.sqrt(vel[i] / (1 - Math.pow(0.99, step))) + 1e-8);
                        double pull = Math.min(1, lr * anchor * share[i]);
                        want[i] -= pull * (want[i] - start[i]);
                    }
                }
                float[] got = w.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(want[i], got[i], 1e-6, "element " + i);
                }
                assertEquals(start[2], got[2], 0f, "a pull of more than all the distance stops at the anchor");
            }
        }
    }

    @Test
    void importanceHasMeanOneOverTheHeldWeightsAndFollowsTheText(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp.resolve("base"), Secrets.vocabulary(), 3);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Transformer t = model.transformer();
            List<String> documents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                documents.add(Secrets.answer(i)); // only the first four items' words
            }
            List<TrainingExample> text = CorpusPacker.pack(documents, model.tokenizer(), 16);
            Set<Integer> used = CorpusPacker.vocabularyOf(documents, model.tokenizer());
            List<TrainableParameter> params = new ArrayList<>();
            String embed = WeightLayout.Slot.EMBED.tensorName(-1);
            int embedAt = -1;
            for (Transformer.Parameter p : t.parameters()) {
                if (p.name().equals(embed)) {
                    embedAt = params.size();
                }
                params.add(new TrainableParameter(p.name(), p.array(), true, !p.name().startsWith("model.layers.1.")));
                p.array().setRequiresGradient(true);
            }
            try (NDManager m = t.manager().newSubManager()) {
                List<NDArray> importance = FisherDiagonal.of(t, params, text, 2, m);
                double sum = 0;
                long count = 0;
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i).name().startsWith("model.layers.1.")) {
                        assertNull(importance.get(i), params.get(i).name() + " is not held");
                        continue;
                    }
                    float[] v = importance.get(i).toFloatArray();
                    for (float x : v) {
                        assertTrue(x >= 0 && Float.isFinite(x));
                        sum += x;
                    }
                    count += v.length;
                }
                assertEquals(1.0, sum / count, 1e-3, "scaled to a mean of 1 over the held weights");
                // The rows of the words the text uses carry its loss; the others only the softmax's small share.
                long[] shape = params.get(embedAt).array().getShape().getShape();
                float[] rows = importance.get(embedAt).toFloatArray();
                double usedMean = 0;
                double otherMean = 0;
                int usedRows = 0;
                for (int r = 0; r < shape[0]; r++) {
                    double rowSum = 0;
                    for (int c = 0; c < shape[1]; c++) {
                        rowSum += rows[(int) (r * shape[1] + c)];
                    }
                    if (used.contains(r)) {
                        usedMean += rowSum;
                        usedRows++;
                    } else {
                        otherMean += rowSum;
                    }
                }
                usedMean /= usedRows;
                otherMean /= shape[0] - usedRows;
                assertTrue(usedMean > 5 * otherMean, "used rows " + usedMean + ", the others " + otherMean);
                for (TrainableParameter p : params) {
                    try (NDArray g = p.array().getGradient()) {
                        assertEquals(0f, g.abs().sum().getFloat(), 0f, p.name() + "'s gradient is left at zero");
                    }
                }
            }
        }
    }

    @Test
    void fisherNeedsThePretrainingTextAndAPull(@TempDir Path tmp) throws Exception {
        TrainConfig.Builder full = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-3);
        SettingError off = assertThrows(SettingError.class, () -> full.anchorImportance(AnchorImportance.FISHER).build());
        assertEquals("anchor_importance", off.setting());
        assertTrue(off.getMessage().contains("anchor_decay"), off.getMessage());
        TrainConfig fisher = full.anchorDecay(3).anchorImportance(AnchorImportance.FISHER).build();
        assertEquals("fisher", fisher.resultDefiningJson().path("anchor_importance").asText());
        assertEquals(fisher, fisher.toBuilder().build());
        assertFalse(full.anchorImportance(AnchorImportance.UNIFORM).build().resultDefiningJson().has("anchor_importance"));
        assertEquals("anchor_importance", assertThrows(SettingError.class, () -> AnchorImportance.parse("ewc")).setting());
        Path base = WordModels.llama(tmp.resolve("base"), Secrets.vocabulary(), 3);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            SettingError noText = assertThrows(SettingError.class,
                    () -> new Trainer(model.transformer(), fisher, TrainListener.NONE, Set.of(), List.of()));
            assertEquals("anchor_importance", noText.setting());
        }
    }
}
