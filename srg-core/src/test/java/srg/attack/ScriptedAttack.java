package srg.attack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import srg.chat.Conversation;
import srg.data.Behavior;

/**
 * A test attack: one prompt per prefix ({@code prefix + behavior text}), each with {@code params};
 * it fails on the behaviors {@code fails} picks and on those put in {@link #failing}, and keeps
 * the ids of the behaviors it was asked to attack, in order.
 */
public final class ScriptedAttack implements Attack {

    /** The ids of the behaviors attacked so far, failed ones included. */
    public final List<String> asked = new ArrayList<>();

    /** Ids of behaviors to fail on besides those {@code fails} picks; a test may change it between runs. */
    public final Set<String> failing = new HashSet<>();

    private final String name;
    private final AttackKind kind;
    private final List<String> prefixes;
    private final Map<String, Object> params;
    private final Predicate<Behavior> fails;

    public ScriptedAttack(String name, AttackKind kind, List<String> prefixes, Map<String, Object> params, Predicate<Behavior> fails) {
        this.name = name;
        this.kind = kind;
        this.prefixes = List.copyOf(prefixes);
        this.params = Map.copyOf(params);
        this.fails = fails;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AttackKind kind() {
        return kind;
    }

    @Override
    public String reference() {
        return "test";
    }

    @Override
    public List<AttackedPrompt> apply(Behavior b) {
        asked.add(b.id());
        if (fails.test(b) || failing.contains(b.id())) {
            throw new AttackException(name + " cannot attack " + b.id());
        }
        List<AttackedPrompt> out = new ArrayList<>();
        for (String prefix : prefixes) {
            out.add(new AttackedPrompt(b.id(), name, params, Conversation.user(prefix + b.text())));
        }
        return out;
    }
}
