package srg.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import srg.SettingError;
import srg.UserError;

/**
 * Which layers to extract or analyse, as given on the command line: {@code all}, or a list of
 * layer indices and ranges such as {@code 0,6,12-18}. Indices follow {@link HiddenStateSource}
 * (0 = embeddings, i = output of block i).
 *
 * @param layers the chosen indices, ascending; empty means all
 */
public record LayerSelection(List<Integer> layers) {

    public static final LayerSelection ALL = new LayerSelection(List.of());

    /** The setting its errors name. */
    public static final String SETTING = "layers";

    public LayerSelection {
        layers = List.copyOf(new TreeSet<>(layers));
    }

    public boolean all() {
        return layers.isEmpty();
    }

    /** Parses {@code spec}; errors name the {@code layers} setting. */
    public static LayerSelection parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.equalsIgnoreCase("all")) {
            return ALL;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).trim());
                    int to = Integer.parseInt(p.substring(dash + 1).trim());
                    if (from < 0 || to < from) {
                        throw SettingError.of(SETTING, "bad layer range '" + p + "' (want FROM-TO with 0 <= FROM <= TO)");
                    }
                    for (int l = from; l <= to; l++) {
                        out.add(l);
                    }
                } else {
                    int l = Integer.parseInt(p);
                    if (l < 0) {
                        throw SettingError.of(SETTING, "layer " + l + " is negative");
                    }
                    out.add(l);
                }
            } catch (NumberFormatException e) {
                throw SettingError.of(SETTING, "'" + spec + "' is not 'all' or a list of layers like 0,6,12-18");
            }
        }
        return new LayerSelection(out);
    }

    /** The layers to extract from a model with {@code numLayers} blocks (valid: 0..numLayers). */
    public int[] resolve(int numLayers) {
        if (all()) {
            int[] out = new int[numLayers + 1];
            for (int l = 0; l <= numLayers; l++) {
                out[l] = l;
            }
            return out;
        }
        for (int l : layers) {
            if (l > numLayers) {
                throw SettingError.of(SETTING, "layer " + l + " does not exist; the model has layers 0.." + numLayers
                        + " (0 = embeddings)");
            }
        }
        return layers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The layers to analyse among those stored; errors name {@code where}. */
    public List<Integer> select(List<Integer> stored, String where) {
        if (all()) {
            return List.copyOf(new TreeSet<>(stored));
        }
        for (int l : layers) {
            if (!stored.contains(l)) {
                throw new UserError(where + ": layer " + l + " was not extracted (stored layers: " + stored + ")");
            }
        }
        return layers;
    }
}
