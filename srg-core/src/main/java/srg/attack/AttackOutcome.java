package srg.attack;

import java.util.List;
import java.util.Objects;
import srg.data.Behavior;

/**
 * What an attack made of one behavior: its prompts, or why it could not attack it (for example
 * the rewriter model kept replying without the expected format). A failed outcome has no prompts.
 *
 * @param behavior the behavior attacked
 * @param prompts the attacked prompts; empty when the attack failed
 * @param error what went wrong, or null
 */
public record AttackOutcome(Behavior behavior, List<AttackedPrompt> prompts, String error) {

    public AttackOutcome {
        Objects.requireNonNull(behavior, "behavior");
        prompts = List.copyOf(prompts);
        if ((error == null) == prompts.isEmpty()) {
            throw new IllegalArgumentException("an outcome has either prompts or an error");
        }
    }

    public static AttackOutcome ok(Behavior behavior, List<AttackedPrompt> prompts) {
        return new AttackOutcome(behavior, prompts, null);
    }

    public static AttackOutcome failed(Behavior behavior, String error) {
        return new AttackOutcome(behavior, List.of(), Objects.requireNonNull(error, "error"));
    }

    public boolean failed() {
        return error != null;
    }
}
