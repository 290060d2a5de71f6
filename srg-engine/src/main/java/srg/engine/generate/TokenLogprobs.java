package srg.engine.generate;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Log-probabilities under the model's own distribution (log-softmax of the logits, before
 * temperature, top-k and top-p; vLLM's default), for a drawn token and the most likely tokens at
 * its position.
 *
 * @param logprob the drawn token's
 * @param topIds the most likely token ids, most likely first
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprobs(float logprob, long[] topIds, float[] topLogprobs) {

    /** Log-probabilities of the drawn tokens for the rows whose jobs ask for them; null if none does. */
    static TokenLogprobs[] of(NDArray logits, List<Sequence> samples, long[] drawn) {
        List<Long> asking = new ArrayList<>();
        for (int b = 0; b < samples.size(); b++) {
            if (samples.get(b).job.topLogprobs() != SampleJob.NO_LOGPROBS) {
                asking.add((long) b);
            }
        }
        if (asking.isEmpty()) {
            return null;
        }
        int vocab = (int) logits.getShape().get(1);
        float[] values;
        try (NDArray index = logits.getManager().create(asking.stream().mapToLong(Long::longValue).toArray());
                NDArray picked = logits.get(index);
                NDArray logs = picked.logSoftmax(-1)) {
            values = logs.toFloatArray();
        }
        TokenLogprobs[] out = new TokenLogprobs[samples.size()];
        for (int i = 0; i < asking.size(); i++) {
            int b = asking.get(i).intValue();
            int offset = i * vocab;
            int k = samples.get(b).job.topLogprobs();
            int[] top = k == 0 ? new int[0] : TokenSampler.mostLikely(values, offset, vocab, k);
            long[] ids = new long[top.length];
            float[] lps = new float[top.length];
            for (int j = 0; j < top.length; j++) {
                ids[j] = top[j];
                lps[j] = values[offset + top[j]];
            }
            out[b] = new TokenLogprobs(values[offset + (int) drawn[b]], ids, lps);
        }
        return out;
    }
}
