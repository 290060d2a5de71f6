package srg.attack;

import java.util.List;
import srg.data.Behavior;

/**
 * A jailbreak attack: turns a behavior (a harmful request) into one or more attacked
 * conversations. Deterministic for a given seed; composable ({@code roleplay+base64}).
 *
 * <p>Static attacks are pure functions of the behavior and seed. Model-assisted attacks (past
 * tense, PAP, translation) call a {@link srg.chat.ChatModel} and may fail per item. Iterative
 * attacks (PAIR) talk to the target and a judge and are run by the evaluation harness.
 */
public interface Attack {

    /** The name used on the command line, e.g. {@code caesar} or {@code roleplay+base64}. */
    String name();

    /** Static, model-assisted or iterative. */
    AttackKind kind();

    /** The paper or source this attack follows, as a short citation. */
    String reference();

    /**
     * Builds the attacked conversations for one behavior. A model-assisted attack whose helper
     * model returns a malformed reply throws {@link AttackException} for that behavior only.
     */
    List<AttackedPrompt> apply(Behavior behavior);

    /**
     * Turns a target response back into plain text for judging, e.g. deciphers a Caesar-encoded
     * answer or translates it back to English. Identity for most attacks.
     */
    default String decode(AttackedPrompt prompt, String response) {
        return response;
    }
}
