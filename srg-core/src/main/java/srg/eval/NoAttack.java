package srg.eval;

import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.AttackedPrompt;
import srg.chat.Conversation;
import srg.data.Behavior;

/** {@code none}: the plain request as a single user turn (with its context, if any). The baseline, and how benign prompts are sent. */
public final class NoAttack implements Attack {

    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AttackKind kind() {
        return AttackKind.STATIC;
    }

    @Override
    public String reference() {
        return "no attack (direct request)";
    }

    @Override
    public List<AttackedPrompt> apply(Behavior behavior) {
        return List.of(new AttackedPrompt(behavior.id(), NAME, Map.of(), Conversation.user(behavior.prompt())));
    }
}
