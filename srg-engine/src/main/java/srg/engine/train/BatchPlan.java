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
 * length share a forward pass (less padding), and splits them into micro-batches: runs of
 * {@code batch}, or, with {@link TrainConfig#splitByLength()}, the runs of at most {@code batch}
 * that pad least.
 *
 * <p>Why the split is free: the trainer divides every micro-batch's summed loss by the step's
 * target count, so the step's gradient is the sum over its micro-batches whatever they are. A
 * mixture of short refusals and long replayed documents padded into one [16, T] matrix spends
 * most of its tokens on padding; split, the short ones run in a narrow matrix of their own.
 */
public final class BatchPlan {

    private final int[] lengths;
    private final int batchSize;
    private final int gradAccum;
    private final boolean splitByLength;
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
        this.splitByLength = config.splitByLength();
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
        int[] sorted = Arrays.stream(chosen).mapToInt(Integer::intValue).toArray();
        int[] ends = splitByLength ? leastPaddingEnds(sorted) : fixedEnds(sorted.length);
        List<int[]> out = new ArrayList<>();
        int begin = 0;
        for (int end : ends) {
            out.add(Arrays.copyOfRange(sorted, begin, end));
            begin = end;
        }
        return out;
    }

    /**
     * What one more forward and backward pass costs beyond its tokens, in tokens: the fixed cost
     * of launching a few hundred small operators, and the lower matmul rate of a narrower matrix.
     * It stops the split from making micro-batches that save less than this.
     */
    static final int MICRO_BATCH_OVERHEAD_TOKENS = 64;

    private int[] fixedEnds(int n) {
        int[] ends = new int[(n + batchSize - 1) / batchSize];
        for (int k = 0; k < ends.length; k++) {
            ends[k] = Math.min(n, (k + 1) * batchSize);
        }
        return ends;
    }

    /**
     * The ends of the contiguous runs (at most {@code batchSize} each) of {@code sorted}, shortest
     * first, that minimise padded tokens plus {@link #MICRO_BATCH_OVERHEAD_TOKENS} per run. A run's
     * padded size is its count times its last (longest) length. Dynamic programming over prefixes;
     * ties go to the longer last run, so the split is a function of the lengths alone.
     */
    private int[] leastPaddingEnds(int[] sorted) {
        int n = sorted.length;
        long[] cost = new long[n + 1];   // cost[i]: cheapest split of the first i examples
        int[] start = new int[n + 1];    // start[i]: where the last run of that split begins
        for (int i = 1; i <= n; i++) {
            cost[i] = Long.MAX_VALUE;
            long longest = lengths[sorted[i - 1]];
            for (int j = Math.max(0, i - batchSize); j < i; j++) {
                long c = cost[j] + MICRO_BATCH_OVERHEAD_TOKENS + (i - j) * longest;
                if (c < cost[i]) {
                    cost[i] = c;
                    start[i] = j;
                }
            }
        }
        int runs = 0;
        for (int i = n; i > 0; i = start[i]) {
            runs++;
        }
        int[] ends = new int[runs];
        for (int i = n, k = runs - 1; i > 0; i = start[i], k--) {
            ends[k] = i;
        }
        return ends;
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
