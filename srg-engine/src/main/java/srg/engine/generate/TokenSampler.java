package srg.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import srg.chat.SamplingParams;

/**
 * Picks the next token of each row from its logits: greedy at temperature 0, otherwise
 * temperature, then top-k, then top-p (nucleus), as transformers and vLLM order them.
 *
 * <p>The softmax runs in libtorch; the choice runs in Java with each row's own random stream, so
 * a draw depends only on its row's logits and seed, never on which other rows share the batch
 * (the logits themselves can differ in their last bit between batch shapes: docs/ENGINE.md).
 */
final class TokenSampler {

    private final SamplingParams params;

    TokenSampler(SamplingParams params) {
        this.params = params;
    }

    /**
     * One token per row of {@code logits} ([B, V]): row b follows {@code params[b]} and draws from
     * {@code rngs[b]}. Greedy rows take the argmax of their logits; the others divide their logits
     * by their own temperature before the softmax, so a row's draw is the same whatever the
     * settings of the rows beside it.
     */
    static long[] choose(NDArray logits, SamplingParams[] params, SplittableRandom[] rngs) {
        int rows = params.length;
        boolean anyGreedy = false;
        boolean anySampled = false;
        float[] temperatures = new float[rows];
        for (int b = 0; b < rows; b++) {
            anyGreedy |= params[b].greedy();
            anySampled |= !params[b].greedy();
            temperatures[b] = params[b].greedy() ? 1f : (float) params[b].temperature();
        }
        long[] out = anyGreedy ? logits.argMax(-1).toLongArray() : new long[rows];
        if (anySampled) {
            int vocab = (int) logits.getShape().get(1);
            float[] probs;
            try (NDArray t = logits.getManager().create(temperatures, new Shape(rows, 1))) {
                probs = logits.div(t).softmax(-1).toFloatArray();
            }
            for (int b = 0; b < rows; b++) {
                if (!params[b].greedy()) {
                    out[b] = new TokenSampler(params[b]).pick(probs, b * vocab, vocab, rngs[b]);
                }
            }
        }
        return out;
    }

    /** Samples from the distribution {@code probs[offset .. offset+vocab)}. */
    int pick(float[] probs, int offset, int vocab, SplittableRandom rng) {
        double u = rng.nextDouble();
        if (params.topK() == 0 && params.topP() >= 1) {
            double total = 0;
            for (int i = 0; i < vocab; i++) {
                total += probs[offset + i];
            }
            double target = u * total;
            double acc = 0;
            int last = 0;
            for (int i = 0; i < vocab; i++) {
                float p = probs[offset + i];
                if (p > 0) {
                    acc += p;
                    last = i;
                    if (acc > target) {
                        return i;
                    }
                }
            }
            return last; // rounding left the target a hair above the total
        }
        int[] candidates = candidates(probs, offset, vocab);
        double total = 0;
        for (int id : candidates) {
            total += probs[offset + id];
        }
        // Nucleus: the fewest most-likely tokens whose (renormalised) mass reaches top-p.
        int keep = candidates.length;
        if (params.topP() < 1) {
            double acc = 0;
            for (int i = 0; i < candidates.length; i++) {
                acc += probs[offset + candidates[i]] / total;
                if (acc >= params.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) {
            kept += probs[offset + candidates[i]];
        }
        double target = u * kept;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += probs[offset + candidates[i]];
            if (acc > target) {
                return candidates[i];
            }
        }
        return candidates[keep - 1];
    }

    /**
     * The tokens that top-k (if set) keeps, most likely first (ties by id). Without top-k, the
     * smallest probability threshold whose survivors already hold the top-p mass bounds the set,
     * so the whole vocabulary is sorted only in the worst case.
     */
    private int[] candidates(float[] probs, int offset, int vocab) {
        if (params.topK() > 0) {
            return sortByProbability(topK(probs, offset, vocab, Math.min(params.topK(), vocab)), probs, offset);
        }
        for (float threshold = 1e-3f; ; threshold /= 16) {
            int count = 0;
            double mass = 0;
            for (int i = 0; i < vocab; i++) {
                float p = probs[offset + i];
                if (p >= threshold) {
                    count++;
                    mass += p;
                }
            }
            if (mass >= params.topP() || threshold < 1e-30f) {
                int[] ids = new int[count];
                int n = 0;
                for (int i = 0; i < vocab; i++) {
                    if (probs[offset + i] >= threshold) {
                        ids[n++] = i;
                    }
                }
                if (mass >= params.topP() || n == vocab) {
                    return sortByProbability(ids, probs, offset);
                }
                // Probability spread thinner than 1e-30: fall back to the whole vocabulary.
                int[] all = new int[vocab];
                Arrays.setAll(all, i -> i);
                return sortByProbability(all, probs, offset);
            }
        }
    }

    /** The k largest of {@code values[offset .. offset+vocab)}, largest first (ties by id). */
    static int[] mostLikely(float[] values, int offset, int vocab, int k) {
        return sortByProbability(topK(values, offset, vocab, Math.min(k, vocab)), values, offset);
    }

    /** The k most likely ids, by a size-k min-heap over the vocabulary. */
    private static int[] topK(float[] probs, int offset, int vocab, int k) {
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < vocab; i++) {
            float p = probs[offset + i];
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, probs, offset);
            } else if (less(heap[0], i, probs, offset)) {
                heap[0] = i;
                siftDown(heap, size, probs, offset);
            }
        }
        return Arrays.copyOf(heap, size);
    }

    /** Heap order: lower probability first; on ties the higher id is "smaller" (evicted first). */
    private static boolean less(int a, int b, float[] probs, int offset) {
        float pa = probs[offset + a];
        float pb = probs[offset + b];
        return pa < pb || (pa == pb && a > b);
    }

    private static void siftUp(int[] heap, int i, float[] probs, int offset) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!less(heap[i], heap[parent], probs, offset)) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] probs, int offset) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && less(heap[l], heap[m], probs, offset)) {
                m = l;
            }
            if (r < size && less(heap[r], heap[m], probs, offset)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[m];
            heap[m] = t;
            i = m;
        }
    }

    private static int[] sortByProbability(int[] ids, float[] probs, int offset) {
        Integer[] boxed = Arrays.stream(ids).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> {
            int c = Float.compare(probs[offset + b], probs[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }
}
