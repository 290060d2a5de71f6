package srg.attack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import srg.data.Behavior;

/**
 * An attack built as one transformation of a {@link PromptDraft}, so that it can be a layer of a
 * composite such as {@code roleplay+base64} ({@link ComposedAttack}). Every attack except PAIR is
 * one: PAIR searches against the target and cannot be wrapped.
 *
 * <p>Static attacks implement {@link #transform}. Model-assisted attacks override
 * {@link #transformAll} to send one batched request for many drafts, and report a draft they could
 * not transform as a failed {@link Variants} instead of throwing, so the batch continues.
 */
public abstract class ComposableAttack implements Attack {

    /** The variants one draft became, or why it could not be transformed. */
    public record Variants(List<PromptDraft> drafts, String error) {
        public Variants {
            drafts = List.copyOf(drafts);
        }

        public static Variants of(List<PromptDraft> drafts) {
            return new Variants(drafts, null);
        }

        public static Variants failed(String error) {
            return new Variants(List.of(), Objects.requireNonNull(error));
        }

        public boolean failed() {
            return error != null;
        }
    }

    private final String name;
    private final AttackKind kind;
    private final String reference;
    private final Map<String, Object> params;
    protected final long seed;

    /**
     * @param name the name as given on the command line, parameters included (e.g. {@code caesar[shift=5]})
     * @param kind static or model-assisted
     * @param reference the paper it follows
     * @param seed the run's seed
     * @param params the fixed parameters, recorded with every prompt
     */
    protected ComposableAttack(String name, AttackKind kind, String reference, long seed, Map<String, Object> params) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.seed = seed;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final AttackKind kind() {
        return kind;
    }

    @Override
    public final String reference() {
        return reference;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    /** Turns one draft into one or more drafts. Throws {@link AttackException} when it cannot. */
    protected abstract List<PromptDraft> transform(PromptDraft draft);

    /** Transforms a batch of drafts; one result per draft, in order. */
    protected List<Variants> transformAll(List<PromptDraft> drafts) {
        List<Variants> out = new ArrayList<>(drafts.size());
        for (PromptDraft d : drafts) {
            try {
                out.add(Variants.of(transform(d)));
            } catch (AttackException e) {
                out.add(Variants.failed(e.getMessage()));
            }
        }
        return out;
    }

    /** Runs this attack as one layer: opens the layer on each draft, then transforms. */
    List<Variants> applyLayer(List<PromptDraft> drafts) {
        List<PromptDraft> entered = new ArrayList<>(drafts.size());
        for (PromptDraft d : drafts) {
            entered.add(d.enter(layerName(), params));
        }
        return transformAll(entered);
    }

    /** The family name under which this layer's parameters are recorded in a composite. */
    protected String layerName() {
        int bracket = name.indexOf('[');
        return bracket < 0 ? name : name.substring(0, bracket);
    }

    /**
     * A random stream for choices about this draft (which template, which demonstrations):
     * derived from the seed, this attack and the text, so it does not depend on batch order.
     */
    protected SplittableRandom random(PromptDraft draft) {
        return AttackSeeds.random(seed, name, draft.behavior().id(), draft.text());
    }

    @Override
    public final List<AttackedPrompt> apply(Behavior behavior) {
        AttackOutcome outcome = applyAll(List.of(behavior)).get(0);
        if (outcome.failed()) {
            throw new AttackException(outcome.error());
        }
        return outcome.prompts();
    }

    @Override
    public final List<AttackOutcome> applyAll(List<Behavior> behaviors) {
        List<PromptDraft> drafts = new ArrayList<>(behaviors.size());
        for (Behavior b : behaviors) {
            drafts.add(PromptDraft.of(b));
        }
        List<Variants> results = applyLayer(drafts);
        List<AttackOutcome> out = new ArrayList<>(behaviors.size());
        for (int i = 0; i < behaviors.size(); i++) {
            Variants v = results.get(i);
            if (v.failed()) {
                out.add(AttackOutcome.failed(behaviors.get(i), v.error()));
            } else if (v.drafts().isEmpty()) {
                out.add(AttackOutcome.failed(behaviors.get(i), name + " made no prompt"));
            } else {
                List<AttackedPrompt> prompts = new ArrayList<>(v.drafts().size());
                for (PromptDraft d : v.drafts()) {
                    prompts.add(d.finish(name, seed));
                }
                out.add(AttackOutcome.ok(behaviors.get(i), prompts));
            }
        }
        return out;
    }
}
