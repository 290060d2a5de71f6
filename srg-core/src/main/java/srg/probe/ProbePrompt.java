package srg.probe;

import java.util.Objects;
import srg.chat.Conversation;

/**
 * One prompt of a probe set.
 *
 * @param behaviorId the behavior it came from (an attacked prompt keeps its behavior's id)
 * @param harmful whether answering it is harmful: the label the linear probe is scored against
 * @param conversation what the model is shown
 */
public record ProbePrompt(String behaviorId, boolean harmful, Conversation conversation) {

    public ProbePrompt {
        Objects.requireNonNull(behaviorId, "behaviorId");
        Objects.requireNonNull(conversation, "conversation");
    }
}
