package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AdamW against torch.optim.AdamW's formulas; the schedule; the batch plan. */
class OptimizerTest {

    /**
     * Steps AdamW on loss = slope · w + 2 b, with w decayed and the bias b not, clipping the global
     * gradient norm at {@code maxNorm} (0: no clipping); returns w's values followed by b's.
     */
    private static float[] stepToyLoss(float[] start, float[] slope, int steps, double lr, double maxNorm, double b1,
            double b2, double eps, double weightDecay, double anchorDecay) {
        double slopeNorm = 4; // the bias's gradient, squared
        for (float g : slope) {
            slopeNorm += g * g;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(start);
            NDArray bias = m.create(new float[] {1f});
            NDArray c = m.create(slope);
            w.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            try (AdamW opt = new AdamW(List.of(new TrainableParameter("w", w, true),
                    new TrainableParameter("b", bias, false)), m, b1, b2, eps, weightDecay, anchorDecay)) {
                for (int step = 1; step <= steps; step++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(c).sum().add(bias.mul(2).sum()));
                    }
                    double norm = AdamW.globalNorm(opt.gradientNorms());
                    assertEquals(Math.sqrt(slopeNorm), norm, 1e-5);
                    opt.update(lr, maxNorm > 0 ? maxNorm / (norm + 1e-6) : 1.0, step);
                }
                float[] out = Arrays.copyOf(w.toFloatArray(), start.length + 1);
                out[start.length] = bias.getFloat();
                return out;
            }
        }
    }

    @Test
    void adamWMatchesTorchFormulasWithDecayAndClipping() {
        float[] start = {0.5f, -1.0f, 2.0f};
        float[] slope = {3f, -4f, 0.5f};
        double lr = 0.01;
        double wd = 0.1;
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-6;
        double maxNorm = 1.0;
        float[] got = stepToyLoss(start, slope, 3, lr, maxNorm, b1, b2, eps, wd, 0);
        // No decay on the bias: three steps of -lr · sign(g) under Adam with constant g.
        assertEquals(1f - 3 * lr, got[3], 1e-5);
        double scale = maxNorm / (Math.sqrt(9 + 16 + 0.25 + 4) + 1e-6);
        double[] w = {start[0], start[1], start[2]};
        double[] mom = new double[3];
        double[] vel = new double[3];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = slope[i] * scale;
                w[i] *= 1 - lr * wd;
                mom[i] = b1 * mom[i] + (1 - b1) * g;
                vel[i] = b2 * vel[i] + (1 - b2) * g * g;
                double mHat = mom[i] / (1 - Math.pow(b1, t));
                double vHat = vel[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(w[i], got[i], 1e-6, "element " + i);
        }
    }

    @Test
    void anchorDecayPullsEveryWeightBackTowardsWhereItStarted() {
        float[] start = {0.5f, -1.0f};
        float[] slope = {3f, -4f};
        double lr = 0.05;
        double anchor = 4.0; // lr · anchor = 0.2 of the distance back at every step
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-8;
        float[] got = stepToyLoss(start, slope, 4, lr, 0, b1, b2, eps, 0.0, anchor);
        float gotBias = got[2];
        // Adam's step, then w := (1 - lr·anchor) w + lr·anchor · w0, for decayed and undecayed weights alike.
        double[] w = {start[0], start[1], 1.0};
        double[] w0 = w.clone();
        double[] g = {slope[0], slope[1], 2.0};
        double[] mom = new double[3];
        double[] vel = new double[3];
        for (int t = 1; t <= 4; t++) {
            for (int i = 0; i < 3; i++) {
                mom[i] = b1 * mom[i] + (1 - b1) * g[i];
                vel[i] = b2 * vel[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lr * (mom[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(vel[i] / (1 - Math.pow(b2, t))) + eps);
                w[i] = (1 - lr * anchor) * w[i] + lr * anchor * w0[i];
            }
        }
        assertEquals(w[0], got[0], 1e-6);
        assertEquals(w[1], got[1], 1e-6);
        assertEquals(w[2], gotBias, 1e-6);
        // Without the pull four steps move each weight by about 4 lr = 0.2; with it, by less.
        assertTrue(Math.abs(got[0] - start[0]) < 0.75 * 4 * lr, "moved " + Math.abs(got[0] - start[0]));
    }

    @Test
    void anchorDecayHoldsNoArrayPastItsStep() {
        // A temporary of the pull left in the optimizer's manager is a model-sized array per weight
        // per step: it took a SafetyWorld RT run from 0.9 to 5 GB before it was closed with the step.
        try (NDManager m = NDManager.newBaseManager(); NDManager optimizerParent = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {0.5f, -1f});
            NDArray c = m.create(new float[] {3f, -4f});
            w.setRequiresGradient(true);
            try (AdamW opt = new AdamW(List.of(new TrainableParameter("w", w, true)), optimizerParent, 0.9, 0.99, 1e-8, 0.0, 4.0)) {
                for (int step = 1; step <= 5; step++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(c).sum());
                    }
                    opt.update(0.05, 1.0, step);
                    assertEquals(3, optimizerParent.getManagedArrays().size(), "the two moments and the anchor, after step " + step);
                }
            }
        }
    }

    @Test
    void warmupThenCosine() {
        LrSchedule s = new LrSchedule(1e-3, 4, 20);
        assertEquals(0.25e-3, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(3), 1e-12);
        assertEquals(1e-3, s.at(4), 1e-12);
        assertEquals(0.5e-3, s.at(12), 1e-12); // halfway through the decay
        assertTrue(s.at(19) < 0.02e-3 && s.at(19) > 0);
        for (int i = 5; i < 20; i++) {
            assertTrue(s.at(i) < s.at(i - 1));
        }
    }

    @Test
    void batchPlanCoversEachEpochOnceAndDependsOnlyOnTheSeed() {
        int[] lengths = new int[10];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 5 + (i * 7) % 11;
        }
        TrainConfig config = TrainConfig.builder().batchSize(2).gradAccum(2).epochs(2).seed(9).build();
        BatchPlan plan = new BatchPlan(lengths, config);
        assertEquals(3, plan.stepsPerEpoch());
        assertEquals(6, plan.totalSteps());
        List<int[]> lastOfEpoch = plan.microBatches(2);
        assertEquals(1, lastOfEpoch.size());
        assertEquals(2, lastOfEpoch.get(0).length);
        for (int epoch = 0; epoch < 2; epoch++) {
            Set<Integer> seen = new HashSet<>();
            for (int step = epoch * 3; step < epoch * 3 + 3; step++) {
                for (int[] micro : plan.microBatches(step)) {
                    for (int i : micro) {
                        assertTrue(seen.add(i), "example " + i + " twice in epoch " + epoch);
                    }
                }
            }
            assertEquals(10, seen.size());
        }
        assertNotEquals(Arrays.toString(plan.permutation(0)), Arrays.toString(plan.permutation(1)));
        BatchPlan again = new BatchPlan(lengths, config);
        for (int step = 0; step < 6; step++) {
            assertArrayEquals(flatten(plan.microBatches(step)), flatten(again.microBatches(step)));
        }
        // Within a step, micro-batches hold examples of similar length (sorted).
        for (int step = 0; step < 6; step++) {
            int[] flat = flatten(plan.microBatches(step));
            for (int i = 1; i < flat.length; i++) {
                assertTrue(lengths[flat[i - 1]] <= lengths[flat[i]]);
            }
        }
    }

    private static int[] flatten(List<int[]> micro) {
        List<Integer> out = new ArrayList<>();
        micro.forEach(m -> Arrays.stream(m).forEach(out::add));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void longSequencesAreDroppedOrTruncatedAndCounted() {
        TrainingExample shortOne = new TrainingExample(new long[] {1, 2, 3}, new boolean[] {false, true, true});
        TrainingExample longOne = new TrainingExample(new long[] {1, 2, 3, 4, 5, 6},
                new boolean[] {false, false, true, true, true, true});
        TrainingExample answerLate = new TrainingExample(new long[] {1, 2, 3, 4, 5, 6},
                new boolean[] {false, false, false, false, true, true});
        TrainingExample noTargets = new TrainingExample(new long[] {1, 2}, new boolean[] {false, false});
        List<TrainingExample> all = List.of(shortOne, longOne, answerLate, noTargets);
        LengthPolicy.Fitted dropped = LengthPolicy.DROP.apply(all, 4);
        assertEquals(List.of(shortOne), dropped.examples());
        assertEquals(2, dropped.dropped());
        assertEquals(1, dropped.withoutTargets());
        LengthPolicy.Fitted cut = LengthPolicy.TRUNCATE.apply(all, 4);
        assertEquals(2, cut.examples().size());
        assertEquals(1, cut.truncated());
        assertEquals(1, cut.dropped()); // truncation left it no target token
        assertArrayEquals(new long[] {1, 2, 3, 4}, cut.examples().get(1).tokens());
        assertEquals(2, cut.examples().get(1).targetCount());
    }

    @Test
    void microBatchPadsLeftAndPointsAtTheTargets() {
        TrainingExample a = new TrainingExample(new long[] {5, 6, 7}, new boolean[] {false, false, true});
        TrainingExample b = new TrainingExample(new long[] {8, 9}, new boolean[] {false, true});
        MicroBatch m = MicroBatch.of(List.of(a, b), 0);
        assertEquals(3, m.steps());
        assertArrayEquals(new long[] {5, 6, 7, 0, 8, 9}, m.tokens());
        assertArrayEquals(new int[] {0, 1}, m.padLeft());
        // Position 1 of row 0 predicts token 7; position 1 of row 1 (flat 4) predicts token 9.
        assertArrayEquals(new long[] {1, 4}, m.predictRows());
        assertArrayEquals(new long[] {7, 9}, m.targetIds());
        assertEquals(5, m.tokenCount());
    }
}
