package srg.attack;

import java.util.List;
import java.util.Map;

/**
 * {@code none}: the behavior exactly as a user would send it, the baseline every attack is
 * compared against (the "direct request" row of HarmBench).
 */
public final class PlainPrompt extends ComposableAttack {

    public static final String NAME = "none";
    public static final String REFERENCE = "Mazeika et al., HarmBench (ICML 2024): the direct-request baseline";

    public PlainPrompt(long seed) {
        super(NAME, AttackKind.STATIC, REFERENCE, seed, Map.of());
    }

    @Override
    protected List<PromptDraft> transform(PromptDraft draft) {
        return List.of(draft);
    }
}
