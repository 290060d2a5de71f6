package srg.engine.generate;

import srg.chat.Completion;

/**
 * Hears the samples of one {@link SampleJob}. Calls come from the thread that steps the
 * {@link BatchScheduler} (or from {@code submit} for a job refused at once), so they must return
 * quickly: hand the event to another thread, never wait on one.
 */
public interface SampleSink {

    /** A token was drawn (end-of-sequence tokens are not reported). */
    default void token(TokenEvent event) { }

    /**
     * Sample {@code sample} is done. {@code tail} is the text that its token events have not given
     * yet (null unless the job asked for text deltas): the deltas and the tail together are
     * exactly {@code completion.text()}.
     */
    void finished(int sample, Completion completion, String tail);
}
