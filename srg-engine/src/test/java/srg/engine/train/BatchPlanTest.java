package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which examples each step trains on, and how the step is split into micro-batches. */
class BatchPlanTest {

    private static TrainConfig config(int batch, int accum, boolean split) {
        return TrainConfig.builder().mode(TrainConfig.Mode.FULL).epochs(2).batchSize(batch).gradAccum(accum).seed(3)
                .splitByLength(split).build();
    }

    /** Padded tokens of a step: each micro-batch is as wide as its longest example. */
    private static long padded(List<int[]> micro, int[] lengths) {
        long sum = 0;
        for (int[] m : micro) {
            sum += (long) m.length * Arrays.stream(m).map(i -> lengths[i]).max().orElse(0);
        }
        return sum;
    }

    private static int[] flatSorted(List<int[]> micro) {
        return micro.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    }

    @Test
    void splittingKeepsEachStepsExamplesAndNeverPadsMore() {
        // Short refusals mixed with long replayed documents, as in a SafetyWorld mixture.
        SplittableRandom rng = new SplittableRandom(5);
        int[] lengths = new int[200];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = rng.nextInt(4) == 0 ? 100 + rng.nextInt(30) : 12 + rng.nextInt(20);
        }
        BatchPlan fixed = new BatchPlan(lengths, config(16, 1, false));
        BatchPlan split = new BatchPlan(lengths, config(16, 1, true));
        assertEquals(fixed.totalSteps(), split.totalSteps());
        long fixedTokens = 0;
        long splitTokens = 0;
        for (int step = 0; step < fixed.totalSteps(); step++) {
            List<int[]> f = fixed.microBatches(step);
            List<int[]> s = split.microBatches(step);
            assertArrayEquals(flatSorted(f), flatSorted(s), "step " + step + " trains on other examples");
            assertTrue(s.stream().allMatch(m -> m.length >= 1 && m.length <= 16), "a micro-batch over --batch");
            fixedTokens += padded(f, lengths);
            splitTokens += padded(s, lengths);
        }
        assertTrue(splitTokens < 0.75 * fixedTokens, "padded tokens " + fixedTokens + " -> " + splitTokens);
    }

    @Test
    void equalLengthsStayOneMicroBatchPerBatch() {
        int[] lengths = new int[40];
        Arrays.fill(lengths, 128); // packed pretraining sequences
        BatchPlan fixed = new BatchPlan(lengths, config(8, 2, false));
        BatchPlan split = new BatchPlan(lengths, config(8, 2, true));
        for (int step = 0; step < fixed.totalSteps(); step++) {
            List<int[]> f = fixed.microBatches(step);
            List<int[]> s = split.microBatches(step);
            assertEquals(f.size(), s.size());
            for (int k = 0; k < f.size(); k++) {
                assertArrayEquals(f.get(k), s.get(k));
            }
        }
    }

    @Test
    void aFewLongExamplesGetAMicroBatchOfTheirOwn() {
        int[] lengths = {10, 10, 10, 10, 10, 10, 300, 300};
        List<int[]> micro = new BatchPlan(lengths, config(8, 1, true)).microBatches(0);
        assertEquals(2, micro.size());
        assertArrayEquals(new int[] {6, 7}, micro.get(1));
        // A saving smaller than one micro-batch's overhead is not worth a second pass.
        int[] close = {10, 10, 10, 10, 10, 10, 10, 12};
        assertEquals(1, new BatchPlan(close, config(8, 1, true)).microBatches(0).size());
    }
}
