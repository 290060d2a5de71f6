package srg.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code a+b}: attack {@code b} applied first, then {@code a} around it. So {@code roleplay+base64}
 * encodes the request in Base64 (with CipherChat's system prompt) and puts the encoded request in
 * a role-play template, the "cipher inside a role-play" of the jailbreak literature; the response
 * is decoded from the outside in ({@code a} first, then {@code b}).
 *
 * <p>When a layer makes several variants (all templates, k rewrites), the outer layers apply to
 * each. If any variant of a behavior fails, the behavior fails, so every behavior keeps the same
 * number of prompts.
 */
public final class ComposedAttack extends ComposableAttack {

    private final List<ComposableAttack> layers; // outermost first, as written

    public ComposedAttack(String name, long seed, List<ComposableAttack> layers) {
        super(name, kindOf(layers), referenceOf(layers), seed, paramsOf(layers));
        if (layers.size() < 2) {
            throw new IllegalArgumentException("a composite needs at least two attacks");
        }
        this.layers = List.copyOf(layers);
    }

    private static Map<String, Object> paramsOf(List<ComposableAttack> layers) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ComposableAttack a : layers) {
            out.put(a.name(), a.params());
        }
        return out;
    }

    public List<ComposableAttack> layers() {
        return layers;
    }

    /** The strongest kind among the layers: model-assisted if any layer calls a model. */
    private static AttackKind kindOf(List<ComposableAttack> layers) {
        AttackKind kind = AttackKind.STATIC;
        for (ComposableAttack a : layers) {
            if (a.kind().compareTo(kind) > 0) {
                kind = a.kind();
            }
        }
        return kind;
    }

    private static String referenceOf(List<ComposableAttack> layers) {
        List<String> refs = new ArrayList<>();
        for (ComposableAttack a : layers) {
            if (!refs.contains(a.reference())) {
                refs.add(a.reference());
            }
        }
        return String.join("; ", refs);
    }

    @Override
    protected List<PromptDraft> transform(PromptDraft draft) {
        Variants v = applyLayer(List.of(draft)).get(0);
        if (v.failed()) {
            throw new AttackException(v.error());
        }
        return v.drafts();
    }

    /** Runs the layers innermost first; each layer sees every variant the previous one made. */
    @Override
    List<Variants> applyLayer(List<PromptDraft> drafts) {
        // current.get(i) holds the variants of input draft i (null once it failed).
        List<List<PromptDraft>> current = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (PromptDraft d : drafts) {
            current.add(List.of(d));
            errors.add(null);
        }
        for (int layer = layers.size() - 1; layer >= 0; layer--) {
            List<PromptDraft> flat = new ArrayList<>();
            List<Integer> owner = new ArrayList<>();
            for (int i = 0; i < current.size(); i++) {
                if (errors.get(i) == null) {
                    for (PromptDraft d : current.get(i)) {
                        flat.add(d);
                        owner.add(i);
                    }
                }
            }
            List<Variants> results = layers.get(layer).applyLayer(flat);
            List<List<PromptDraft>> next = new ArrayList<>();
            for (int i = 0; i < current.size(); i++) {
                next.add(new ArrayList<>());
            }
            for (int j = 0; j < flat.size(); j++) {
                int i = owner.get(j);
                Variants v = results.get(j);
                if (v.failed() && errors.get(i) == null) {
                    errors.set(i, v.error());
                } else if (!v.failed()) {
                    next.get(i).addAll(v.drafts());
                }
            }
            current = next;
        }
        List<Variants> out = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            out.add(errors.get(i) != null ? Variants.failed(errors.get(i)) : Variants.of(current.get(i)));
        }
        return out;
    }

    /** Decodes from the outside in: the outermost layer framed the response last. */
    @Override
    public String decode(AttackedPrompt prompt, String response) {
        String text = response;
        for (ComposableAttack a : layers) {
            text = a.decode(prompt, text);
        }
        return text;
    }
}
