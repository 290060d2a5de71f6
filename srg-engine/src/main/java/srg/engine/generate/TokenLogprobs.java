package srg.engine.generate;

/**
 * Log-probabilities under the model's own distribution (log-softmax of the logits, before
 * temperature, top-k and top-p; vLLM's default), for a drawn token and the most likely tokens at
 * its position.
 *
 * @param logprob the drawn token's
 * @param topIds the most likely token ids, most likely first
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprobs(float logprob, long[] topIds, float[] topLogprobs) {}
