package srg.chat;

import java.util.Objects;

/**
 * Asks for samples {@code firstIndex .. firstIndex + count - 1} of one conversation.
 *
 * <p>Sample indices matter for reproducibility: a resumed run that only needs samples 5 to 31
 * gets exactly the samples an uninterrupted run would have drawn, because each sample's seed is
 * derived from its index.
 */
public record SampleRequest(Conversation conversation, int firstIndex, int count) {

    public SampleRequest {
        Objects.requireNonNull(conversation, "conversation");
        if (firstIndex < 0 || count < 1) {
            throw new IllegalArgumentException("need firstIndex >= 0 and count >= 1");
        }
    }

    public static SampleRequest of(Conversation conversation, int count) {
        return new SampleRequest(conversation, 0, count);
    }
}
