package srg.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;
import srg.chat.Completion;
import srg.chat.FinishReason;
import srg.engine.tokenizer.Tokenizer;

/** One sample being decoded: a row of the {@link BatchScheduler}'s batch. */
final class Sequence {

    final SampleJob job;
    final int sample;
    final SplittableRandom rng;
    /** Padding positions before this row's prompt in the batch's KV cache. */
    int padLeft;
    /** The drawn token not yet fed to the model. */
    long pending;
    FinishReason finish;
    /**
     * Finished, while its row stays in the batch's KV cache until the scheduler next compacts it:
     * it is fed a token and ignored, which costs less than copying the cache at every finish.
     */
    boolean vacated;
    /** The final text, once finished. */
    String text;
    /** The text decoded at the last token, when it was needed (stop strings, text deltas). */
    String latest;
    /** Characters of text already given out as deltas. */
    int emitted;
    private long[] tokens = new long[32];
    private int size;

    Sequence(SampleJob job, int sample, int padLeft) {
        this.job = job;
        this.sample = sample;
        this.padLeft = padLeft;
        this.rng = new SplittableRandom(StreamSeeds.of(job.params().seed(), job.seedKey(), sample));
    }

    void add(long token) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, 2 * size);
        }
        tokens[size++] = token;
    }

    int size() {
        return size;
    }

    /** How many more tokens this sample may be fed to the model before it must end. */
    int remaining() {
        return job.params().maxTokens() - size;
    }

    String decode(Tokenizer tokenizer) {
        return tokenizer.decode(Arrays.copyOf(tokens, size));
    }

    Completion completion() {
        return Completion.of(text, finish, job.prompt().length, size);
    }

    /** The rest of the final text after what the deltas gave (null when the job streams no text). */
    String tail() {
        if (!job.textDeltas()) {
            return null;
        }
        return text.length() >= emitted ? text.substring(emitted) : "";
    }
}
