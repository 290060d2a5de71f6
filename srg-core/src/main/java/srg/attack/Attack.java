package srg.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.chat.ChatModel;
import srg.data.Behavior;

/**
 * A jailbreak attack: turns a behavior (a harmful request) into one or more attacked
 * conversations. Deterministic for a given seed; composable ({@code roleplay+base64}).
 *
 * <p>Static attacks are pure functions of the behavior and seed. Model-assisted attacks (past
 * tense, PAP, translation) call a {@link ChatModel} and may fail per item. Iterative attacks
 * (PAIR) search against the model under test: the evaluation harness aims them at each model it
 * evaluates with {@link #against}.
 */
public interface Attack {

    /** The name used on the command line, e.g. {@code caesar} or {@code roleplay+base64}. */
    String name();

    /** Static, model-assisted or iterative. */
    AttackKind kind();

    /** The paper or source this attack follows, as a short citation. */
    String reference();

    /**
     * The attack's fixed parameters (shift, template set, number of layers, ...), recorded with
     * every prompt it makes. Per-prompt choices (which template, which technique) and the seed
     * are added to {@link AttackedPrompt#params()}.
     */
    default Map<String, Object> params() {
        return Map.of();
    }

    /**
     * Builds the attacked conversations for one behavior. A model-assisted attack whose helper
     * model returns a malformed reply throws {@link AttackException} for that behavior only.
     */
    List<AttackedPrompt> apply(Behavior behavior);

    /**
     * Attacks a batch of behaviors. A behavior that cannot be attacked becomes a failed outcome;
     * the others continue. Model-assisted attacks override this to send one batched request to
     * their helper model instead of one per behavior.
     */
    default List<AttackOutcome> applyAll(List<Behavior> behaviors) {
        List<AttackOutcome> out = new ArrayList<>(behaviors.size());
        for (Behavior b : behaviors) {
            try {
                out.add(AttackOutcome.ok(b, apply(b)));
            } catch (AttackException e) {
                out.add(AttackOutcome.failed(b, e.getMessage()));
            }
        }
        return out;
    }

    /**
     * This attack aimed at {@code target}, the model under evaluation. An iterative attack searches
     * against its target, so the harness asks for one per model; every other attack is the same
     * whatever the target, and returns itself.
     */
    default Attack against(ChatModel target) {
        return this;
    }

    /**
     * Turns a target response back into plain text for judging, e.g. deciphers a Caesar-encoded
     * answer or translates it back to English. Identity for most attacks.
     */
    default String decode(AttackedPrompt prompt, String response) {
        return response;
    }
}
