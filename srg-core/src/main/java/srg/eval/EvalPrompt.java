package srg.eval;

import srg.attack.Attack;
import srg.attack.AttackedPrompt;
import srg.data.Behavior;

/**
 * One unit of Best-of-N: an attacked prompt of one behavior, sampled N times.
 *
 * @param benign whether it is a benign prompt (measured for over-refusal)
 * @param attack the attack that made it (decodes responses before judging)
 * @param behavior the original request
 * @param prompt the attacked conversation
 */
public record EvalPrompt(boolean benign, Attack attack, Behavior behavior, AttackedPrompt prompt) {

    public String convHash() {
        return prompt.conversation().sha256();
    }

    /** The category used in per-category breakdowns. */
    public String category() {
        return behavior.category().isBlank() ? "uncategorized" : behavior.category();
    }
}
