package srg.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.AttackedPrompt;
import srg.data.Behavior;
import srg.data.PromptRole;

/**
 * One unit of Best-of-N: an attacked prompt of one behavior, sampled N times.
 *
 * @param role harmful (measured for attack success) or benign (measured for over-refusal)
 * @param attack the attack that made it (decodes responses before judging)
 * @param behavior the original request
 * @param prompt the attacked conversation
 */
public record EvalPrompt(PromptRole role, Attack attack, Behavior behavior, AttackedPrompt prompt) {

    public String convHash() {
        return prompt.conversation().sha256();
    }

    /** The category used in per-category breakdowns. */
    public String category() {
        return behavior.category().isBlank() ? "uncategorized" : behavior.category();
    }

    /**
     * The distinct conversations, each with the first prompt that uses it: samples are keyed by
     * conversation, so two prompts with the same text share their samples.
     */
    public static Map<String, EvalPrompt> byConversation(List<EvalPrompt> prompts) {
        Map<String, EvalPrompt> out = new LinkedHashMap<>();
        for (EvalPrompt p : prompts) {
            out.putIfAbsent(p.convHash(), p);
        }
        return out;
    }
}
