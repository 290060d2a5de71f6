package srg.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import srg.UserError;

/**
 * Which layers attend through a sliding window, read from config.json as transformers' config
 * classes read it:
 *
 * <ul>
 *   <li>Mistral: {@code sliding_window} on every layer (4096 when the key is absent, none when
 *       it is null);
 *   <li>Qwen2 and Qwen3: a window only with {@code use_sliding_window}; {@code layer_types} names
 *       each layer's kind, or, without it, layers from {@code max_window_layers} (28 by default)
 *       on slide;
 *   <li>Llama: full attention everywhere.
 * </ul>
 *
 * A pattern the family's transformers class would not run as written (Mistral or Llama with
 * mixed {@code layer_types}, an unknown layer kind, sliding layers without a window) is refused.
 */
final class LayerWindows {

    private static final String FULL = "full_attention";
    private static final String SLIDING = "sliding_attention";

    private LayerWindows() {}

    /** The window of each layer in tokens, 0 for full attention. */
    static List<Integer> read(JsonNode root, String where, ModelFamily family, int layers) {
        List<String> types = layerTypes(root, where, layers);
        int window;
        switch (family) {
            case LLAMA -> {
                if (root.path("use_sliding_window").asBoolean(false)) {
                    throw new UserError(where + ": \"use_sliding_window\" is true, but transformers' Llama runs full"
                            + " attention on every layer (srg refuses rather than guess)");
                }
                requireUniform(types, FULL, where, "llama runs full attention on every layer");
                return Collections.nCopies(layers, 0);
            }
            case MISTRAL -> {
                window = windowSize(root, where);
                requireUniform(types, window > 0 ? SLIDING : FULL, where, "transformers' Mistral ignores it and "
                        + (window > 0 ? "slides every layer" : "runs full attention (sliding_window is null)"));
                return Collections.nCopies(layers, window);
            }
            default -> {
                window = root.path("use_sliding_window").asBoolean(false) ? windowSize(root, where) : 0;
                if (types == null) {
                    JsonNode maxWindowLayers = root.get("max_window_layers");
                    if (maxWindowLayers != null && !maxWindowLayers.isNull() && !maxWindowLayers.canConvertToInt()) {
                        throw new UserError(where + ": \"max_window_layers\" must be an integer, got " + maxWindowLayers);
                    }
                    int from = maxWindowLayers == null || maxWindowLayers.isNull() ? 28 : maxWindowLayers.asInt();
                    List<Integer> out = new ArrayList<>();
                    for (int i = 0; i < layers; i++) {
                        out.add(window > 0 && i >= from ? window : 0);
                    }
                    return out;
                }
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < layers; i++) {
                    if (types.get(i).equals(SLIDING) && window == 0) {
                        throw new UserError(where + ": \"layer_types\" makes layer " + i + " sliding_attention but"
                                + " there is no window (use_sliding_window is not true or sliding_window is null)");
                    }
                    out.add(types.get(i).equals(SLIDING) ? window : 0);
                }
                return out;
            }
        }
    }

    /** {@code layer_types}, checked for length and kinds; null when the config has none. */
    private static List<String> layerTypes(JsonNode root, String where, int layers) {
        JsonNode node = root.get("layer_types");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() != layers) {
            throw new UserError(where + ": \"layer_types\" must list one kind per layer (" + layers + "), got " + node);
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String kind = node.get(i).asText();
            if (!kind.equals(FULL) && !kind.equals(SLIDING)) {
                throw new UserError(where + ": \"layer_types\"[" + i + "] \"" + kind
                        + "\" is not supported (srg runs full_attention and sliding_attention layers)");
            }
            types.add(kind);
        }
        return types;
    }

    private static void requireUniform(List<String> types, String expected, String where, String why) {
        if (types == null) {
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).equals(expected)) {
                throw new UserError(where + ": \"layer_types\"[" + i + "] is " + types.get(i) + ", a window pattern srg"
                        + " cannot run as transformers would (" + why + ")");
            }
        }
    }

    /** {@code sliding_window}: absent means 4096 (transformers' default), null means no window. */
    private static int windowSize(JsonNode root, String where) {
        JsonNode n = root.get("sliding_window");
        if (n == null) {
            return 4096;
        }
        if (n.isNull()) {
            return 0;
        }
        if (!n.canConvertToInt() || n.asInt() <= 0) {
            throw new UserError(where + ": \"sliding_window\" must be a positive integer, got " + n);
        }
        return n.asInt();
    }
}
