package srg.engine.generate;

/**
 * One drawn token of one sample.
 *
 * @param sample the sample index
 * @param token the token id
 * @param delta the text this token makes final (may be empty while a stop string or a
 *     multi-byte character is still open), or null when the job did not ask for deltas
 * @param logprobs the token's log-probability and the most likely alternatives, or null when
 *     the job did not ask for them
 */
public record TokenEvent(int sample, long token, String delta, TokenLogprobs logprobs) {}
