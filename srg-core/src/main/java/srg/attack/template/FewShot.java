package srg.attack.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import srg.UserError;
import srg.attack.AttackKind;
import srg.attack.ComposableAttack;
import srg.attack.PromptDraft;
import srg.chat.Message;

/**
 * Few-shot and many-shot demonstration attacks: the request follows examples of an assistant
 * complying with harmful requests.
 *
 * <ul>
 *   <li>{@code few-shot}: the in-context attack of Wei et al., "Jailbreak and Guard Aligned
 *       Language Models with Only Few In-Context Demonstrations" (2023): a few demonstrations as
 *       real user/assistant turns before the request.
 *   <li>{@code many-shot}: many-shot jailbreaking, Anil et al. (NeurIPS 2024): many
 *       demonstrations written as a faux dialogue inside a single user message, ending with the
 *       request. Its success grows with the number of shots.
 * </ul>
 *
 * Demonstrations come from the user's file ({@link Demonstration#load}); which ones, and in what
 * order, is drawn from the seed for each behavior.
 */
public final class FewShot extends ComposableAttack {

    public static final String FEW_SHOT_REFERENCE =
            "Wei et al., Jailbreak and Guard Aligned Language Models with Only Few In-Context Demonstrations, 2023";
    public static final String MANY_SHOT_REFERENCE = "Anil et al., Many-shot Jailbreaking, NeurIPS 2024";

    private final List<Demonstration> pool;
    private final int shots;
    private final boolean manyShot;

    public FewShot(String name, long seed, List<Demonstration> pool, int shots, boolean manyShot, String file) {
        super(name, AttackKind.STATIC, manyShot ? MANY_SHOT_REFERENCE : FEW_SHOT_REFERENCE, seed,
                Map.of("shots", shots, "demonstrations", file));
        if (shots > pool.size()) {
            throw new UserError("attack " + name + ": asks for " + shots + " demonstrations but " + file
                    + " has only " + pool.size());
        }
        this.pool = List.copyOf(pool);
        this.shots = shots;
        this.manyShot = manyShot;
    }

    @Override
    protected List<PromptDraft> transform(PromptDraft draft) {
        List<Demonstration> chosen = choose(random(draft));
        if (!manyShot) {
            List<Message> turns = new ArrayList<>(draft.turns());
            for (Demonstration d : chosen) {
                turns.add(Message.user(d.prompt()));
                turns.add(Message.assistant(d.response()));
            }
            return List.of(draft.withTurns(turns));
        }
        StringBuilder dialogue = new StringBuilder();
        for (Demonstration d : chosen) {
            dialogue.append("User: ").append(d.prompt()).append("\n\nAssistant: ").append(d.response()).append("\n\n");
        }
        dialogue.append("User: ").append(draft.text());
        return List.of(draft.withText(dialogue.toString()));
    }

    /** A seeded sample of {@code shots} demonstrations without replacement (partial Fisher-Yates). */
    private List<Demonstration> choose(SplittableRandom random) {
        List<Demonstration> copy = new ArrayList<>(pool);
        for (int i = 0; i < shots; i++) {
            int j = i + random.nextInt(copy.size() - i);
            Demonstration t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy.subList(0, shots);
    }
}
