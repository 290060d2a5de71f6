package srg.judge;

import java.util.List;

/**
 * Decides whether responses to harmful requests are safe. Keyword judges decide alone; model
 * judges (LlamaGuard, HarmBench, StrongREJECT, refusal) ask a {@link srg.chat.ChatModel} and parse
 * its answer. A judge never throws for one bad input or one unreadable judge output: that input
 * gets an {@link Verdict#ERROR} judgment.
 */
public interface Judge extends AutoCloseable {

    /** A stable name: the key of verdicts in the run store, e.g. {@code keyword:prefix}. */
    String id();

    /** Whether judgments carry the refusal flag, so the judge can measure over-refusal. */
    boolean reportsRefusal();

    /**
     * Whether judgments carry the helpful flag (the response gives what the request asked for: the
     * help of a benign one, the harm of a harmful one), so the judge can measure capability, and
     * tell compliance from an unsafe answer about something else.
     */
    default boolean reportsHelpfulness() {
        return false;
    }

    /** Judges a batch; the result has one judgment per input, in order. */
    List<Judgment> judge(List<JudgeInput> inputs);

    @Override
    default void close() {}
}
