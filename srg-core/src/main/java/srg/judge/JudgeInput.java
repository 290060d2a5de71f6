package srg.judge;

import java.util.Objects;
import srg.chat.Conversation;
import srg.data.Behavior;

/**
 * One response to judge.
 *
 * @param behavior the original request (before any attack): judges compare the response to it
 * @param conversation what the target was sent (the attacked prompt)
 * @param response the target's answer, already decoded by the attack (e.g. deciphered)
 */
public record JudgeInput(Behavior behavior, Conversation conversation, String response) {

    public JudgeInput {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(response, "response");
    }
}
