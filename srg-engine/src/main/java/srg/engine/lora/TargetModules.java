package srg.engine.lora;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import srg.UserError;
import srg.engine.model.ModelConfig;
import srg.engine.model.Projection;
import srg.engine.model.WeightLayout;

/**
 * The modules an adapter's {@code target_modules} (narrowed by {@code layers_to_transform})
 * selects in a given model, resolved as PEFT resolves them: a list names modules by their last
 * dotted parts ({@code q_proj}, {@code self_attn.q_proj}), a string is a regular expression the
 * whole module name must match, and {@code all-linear} takes every projection. A name that
 * selects nothing in the model is an error, as it is in PEFT: an adapter trained for another
 * architecture would otherwise load and change nothing.
 *
 * @param modules selected modules as {@code LAYER.PATH}, e.g. {@code 3.self_attn.q_proj}
 */
record TargetModules(Set<String> modules) {

    /** The modules {@code cfg} selects in a model of shape {@code mc}; null when the config names none. */
    static TargetModules of(JsonNode cfg, Path file, ModelConfig mc) {
        JsonNode targets = cfg.get("target_modules");
        if (targets == null || targets.isNull()) {
            return null;
        }
        List<String> all = new ArrayList<>();
        for (int layer : layers(cfg.get("layers_to_transform"), file, mc)) {
            for (Projection p : Projection.values()) {
                all.add(layer + "." + p.path());
            }
        }
        Set<String> out = new TreeSet<>();
        if (targets.isTextual() && targets.asText().equals("all-linear")) {
            out.addAll(all);
        } else if (targets.isTextual()) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(targets.asText());
            } catch (PatternSyntaxException e) {
                throw new UserError(file + ": target_modules \"" + targets.asText() + "\" is not a regular expression ("
                        + e.getDescription() + ")");
            }
            all.stream().filter(m -> pattern.matcher(WeightLayout.LAYERS + m).matches()).forEach(out::add);
            if (out.isEmpty()) {
                throw new UserError(file + ": target_modules \"" + targets.asText() + "\" matches no projection of this "
                        + shape(mc) + " (" + names() + ")");
            }
        } else if (targets.isArray() && !targets.isEmpty()) {
            for (JsonNode t : targets) {
                String name = t.asText();
                List<String> hits = all.stream().filter(m -> (WeightLayout.LAYERS + m).endsWith("." + name)).toList();
                if (hits.isEmpty()) {
                    throw new UserError(file + ": target_modules names \"" + name + "\", which this " + shape(mc)
                            + " lacks (srg adapts its projections " + names() + ")");
                }
                out.addAll(hits);
            }
        } else {
            throw new UserError(file + ": target_modules must be a list of module names, a regular expression or \"all-linear\"");
        }
        return new TargetModules(out);
    }

    /** The layers {@code layers_to_transform} keeps (all when absent). */
    private static List<Integer> layers(JsonNode node, Path file, ModelConfig mc) {
        List<Integer> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            for (int i = 0; i < mc.numLayers(); i++) {
                out.add(i);
            }
            return out;
        }
        for (JsonNode n : node.isArray() ? node : List.of(node)) {
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() >= mc.numLayers()) {
                throw new UserError(file + ": layers_to_transform names layer " + n + ", which this " + shape(mc) + " lacks");
            }
            out.add(n.asInt());
        }
        return out;
    }

    /**
     * Fails unless the tensors present are exactly those of the selected modules: a tensor of a
     * module the config does not select, or a selected module without tensors, means the two
     * files disagree.
     */
    void checkAgainst(Set<String> present, Path config, Path weights) {
        for (String m : present) {
            if (!modules.contains(m)) {
                throw new UserError(weights + " has tensors for model.layers." + m + ", which target_modules in " + config
                        + " does not select (the two files disagree)");
            }
        }
        Set<String> missing = new LinkedHashSet<>(modules);
        missing.removeAll(present);
        if (!missing.isEmpty()) {
            throw new UserError(config + ": target_modules selects model.layers." + missing.iterator().next()
                    + (missing.size() == 2 ? " and 1 more module" : missing.size() > 2 ? " and " + (missing.size() - 1) + " more modules" : "")
                    + ", but " + weights
                    + " has no tensors for " + (missing.size() > 1 ? "them" : "it") + " (the two files disagree)");
        }
    }

    private static String shape(ModelConfig mc) {
        return mc.numLayers() + "-layer " + mc.family().modelType() + " model";
    }

    private static String names() {
        List<String> out = new ArrayList<>();
        for (Projection p : Projection.values()) {
            out.add(p.path().substring(p.path().indexOf('.') + 1));
        }
        return String.join(", ", out);
    }
}
