package srg.engine.generate;

import java.util.Objects;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;

/**
 * Work for the {@link BatchScheduler}: samples {@code firstIndex .. firstIndex+count-1} of one
 * prompt already in tokens. Sample i is seeded by the sampling seed, {@code seedKey} (a hash of
 * what the prompt is) and i alone, so what it says never depends on which other samples share
 * its batch or when it joined.
 *
 * @param prompt the prompt's token ids
 * @param seedKey the prompt part of every sample's seed
 * @param topLogprobs {@link #NO_LOGPROBS}, or how many most likely alternatives to report with
 *     each drawn token's log-probability (0 for the drawn token's alone)
 * @param textDeltas whether token events carry the text each token adds (for streaming)
 * @param sink where tokens and finished samples go
 */
public record SampleJob(long[] prompt, long seedKey, int firstIndex, int count, SamplingParams params,
        int topLogprobs, boolean textDeltas, SampleSink sink) {

    public static final int NO_LOGPROBS = -1;

    public SampleJob {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(sink, "sink");
        if (firstIndex < 0 || count < 1 || topLogprobs < NO_LOGPROBS) {
            throw new IllegalArgumentException("need firstIndex >= 0, count >= 1, topLogprobs >= -1");
        }
    }

    /**
     * Samples of a chat prompt, seeded by the conversation as {@link Generator} seeds them, so
     * that the same conversation, sampling settings and sample index give the same sample here,
     * in {@code srg generate} and in {@code srg eval}.
     */
    public static SampleJob chat(long[] prompt, Conversation conversation, int firstIndex, int count,
            SamplingParams params, SampleSink sink) {
        return new SampleJob(prompt, StreamSeeds.key(conversation), firstIndex, count, params, NO_LOGPROBS, false, sink);
    }

    public SampleJob withLogprobs(int top) {
        return new SampleJob(prompt, seedKey, firstIndex, count, params, top, textDeltas, sink);
    }

    /** Ends sample {@code sample} with an error (its text deltas, if any, end with nothing more). */
    void fail(int sample, String why) {
        sink.finished(sample, Completion.error(why), textDeltas ? "" : null);
    }

    public SampleJob withTextDeltas() {
        return new SampleJob(prompt, seedKey, firstIndex, count, params, topLogprobs, true, sink);
    }
}
