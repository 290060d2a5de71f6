package srg.chat;

import java.util.Objects;

/**
 * One sampled response. A failed request is still a completion, with {@link FinishReason#ERROR}
 * and an error message: callers must never count it as safe or unsafe.
 *
 * @param text the response text; empty for errors
 * @param finishReason why sampling stopped
 * @param promptTokens tokens in the prompt, or -1 when unknown
 * @param completionTokens tokens generated, or -1 when unknown
 * @param error what went wrong, or null
 */
public record Completion(
        String text, FinishReason finishReason, int promptTokens, int completionTokens, String error) {

    public Completion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        if ((finishReason == FinishReason.ERROR) != (error != null)) {
            throw new IllegalArgumentException("an error completion needs a message, and only it");
        }
    }

    public static Completion of(String text, FinishReason reason, int promptTokens, int completionTokens) {
        return new Completion(text, reason, promptTokens, completionTokens, null);
    }

    public static Completion error(String message) {
        return new Completion("", FinishReason.ERROR, -1, -1, Objects.requireNonNull(message));
    }

    public boolean isError() {
        return finishReason == FinishReason.ERROR;
    }
}
