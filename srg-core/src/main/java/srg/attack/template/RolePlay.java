package srg.attack.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.attack.AttackKind;
import srg.attack.ComposableAttack;
import srg.attack.PromptDraft;

/**
 * Role-play and persona templates in the style of Jailbreak Chat (the in-the-wild jailbreak
 * prompts studied by Shen et al., "Do Anything Now", CCS 2024, and used as the "Jailbreak Chat"
 * attack of the SRG study): the request is placed in a template that asks the model to play a
 * character without its usual rules.
 *
 * <p>{@code template=random} (the default) picks one template per behavior from the seed;
 * {@code template=all} makes one prompt per template, as evaluations over a template set do;
 * {@code template=NAME} pins one.
 */
public final class RolePlay extends ComposableAttack {

    public static final String REFERENCE =
            "Jailbreak Chat templates; Shen et al., \"Do Anything Now\": In-the-Wild Jailbreak Prompts, CCS 2024";

    private final List<Template> choices;
    private final boolean all;

    /**
     * @param selection {@code random}, {@code all}, or a template name
     */
    public RolePlay(String name, long seed, TemplateLibrary library, String selection) {
        super(name, AttackKind.STATIC, REFERENCE, seed, Map.of("template", selection));
        this.all = selection.equals("all");
        this.choices = selection.equals("random") || all ? library.all() : List.of(library.get(selection));
    }

    @Override
    protected List<PromptDraft> transform(PromptDraft draft) {
        List<Template> use = all || choices.size() == 1
                ? choices
                : List.of(choices.get(random(draft).nextInt(choices.size())));
        List<PromptDraft> out = new ArrayList<>(use.size());
        for (Template t : use) {
            out.add(draft.withText(t.fill(draft.text())).note("template", t.name()));
        }
        return out;
    }
}
