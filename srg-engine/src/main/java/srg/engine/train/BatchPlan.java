package srg.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which examples each optimizer step trains on. Each epoch is a fresh permutation drawn from the
 * seed and the epoch number alone, so step s of a resumed run sees the same examples as step s
 * of an uninterrupted one. A step takes the next {@code batch × accum} examples of its epoch
 * (the last step of an epoch may take fewer), sorts them by length so that sequences of similar
 * length share a forward pass (less padding), and splits them into micro-batches.
 */
public final class BatchPlan {

    private final int[] lengths;
    private final int batchSize;
    private final int gradAccum;
    private final long seed;
    private final int stepsPerEpoch;
    private final int totalSteps;

    public BatchPlan(int[] lengths, TrainConfig config) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        this.lengths = lengths.clone();
        this.batchSize = config.batchSize();
        this.gradAccum = config.gradAccum();
        this.seed = config.seed();
        int perStep = config.effectiveBatch();
        this.stepsPerEpoch = (lengths.length + perStep - 1) / perStep;
        this.totalSteps = config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public int epochOf(int step) {
        return step / stepsPerEpoch;
    }

    /** The example indices of {@code step}, as micro-batches. */
    public List<int[]> microBatches(int step) {
        int[] order = permutation(epochOf(step));
        int perStep = batchSize * gradAccum;
        int from = (step % stepsPerEpoch) * perStep;
        int to = Math.min(order.length, from + perStep);
        Integer[] chosen = new Integer[to - from];
        for (int i = from; i < to; i++) {
            chosen[i - from] = order[i];
        }
        Arrays.sort(chosen, Comparator.comparingInt((Integer i) -> lengths[i]).thenComparingInt(i -> i));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < chosen.length; i += batchSize) {
            int[] micro = new int[Math.min(batchSize, chosen.length - i)];
            for (int j = 0; j < micro.length; j++) {
                micro[j] = chosen[i + j];
            }
            out.add(micro);
        }
        return out;
    }

    /** Fisher–Yates with a generator seeded by (seed, epoch) only. */
    int[] permutation(int epoch) {
        int[] order = new int[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(TrainingSeeds.mix(seed, 0x5EED_0001L, epoch));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
