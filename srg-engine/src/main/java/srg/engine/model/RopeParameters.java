package srg.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Set;
import srg.UserError;

/**
 * The rotary embedding of a config.json, read as transformers reads it today and as it did
 * before: transformers ≥ 5 writes {@code rope_parameters} (theta, type and scaling fields
 * together); older configs have a top-level {@code rope_theta} and a {@code rope_scaling} block.
 * Supported types: {@code default}, {@code linear} and Llama 3.1's {@code llama3}; anything else
 * is refused rather than run as plain RoPE.
 *
 * @param theta the base wavelength
 * @param type the {@code rope_type}
 * @param factor scaling factor (linear, llama3)
 * @param originalMaxPositions llama3: the context the model was pretrained with
 */
public record RopeParameters(double theta, String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /** The layer kinds of {@code layer_types}; rope blocks keyed by them are per-layer parameters. */
    private static final Set<String> LAYER_KINDS = Set.of("full_attention", "sliding_attention");

    /**
     * Reads the rotary settings from a config.json object, following transformers'
     * {@code convert_rope_params_to_dict}: a non-empty {@code rope_scaling} wins over
     * {@code rope_parameters}; theta comes from the chosen block, else the top-level
     * {@code rope_theta}, else 10000.
     */
    static RopeParameters read(JsonNode root, String where, int maxPositions) {
        String key = nonEmpty(root.get("rope_scaling")) ? "rope_scaling"
                : nonEmpty(root.get("rope_parameters")) ? "rope_parameters" : null;
        for (String k : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode n = root.get(k);
            if (n != null && !n.isNull() && !n.isObject()) {
                throw new UserError(where + ": \"" + k + "\" must be an object, got " + n);
            }
        }
        JsonNode block = key == null ? JsonNodeFactory.instance.objectNode() : root.get(key);
        block.fieldNames().forEachRemaining(name -> {
            if (LAYER_KINDS.contains(name)) {
                throw new UserError(where + ": \"" + key + "\" holds per-layer-type rotary parameters (\"" + name
                        + "\"); srg runs one rotary embedding for every layer");
            }
        });
        Fields f = new Fields(where, key, block);
        double theta = block.hasNonNull("rope_theta") ? f.positive("rope_theta")
                : root.hasNonNull("rope_theta") ? new Fields(where, null, root).positive("rope_theta") : 10000.0;
        JsonNode partial = block.hasNonNull("partial_rotary_factor") ? block.get("partial_rotary_factor")
                : root.get("partial_rotary_factor");
        if (partial != null && !partial.isNull() && partial.asDouble() != 1.0) {
            throw new UserError(where + ": \"partial_rotary_factor\" " + partial
                    + " is not supported (Llama, Mistral and Qwen rotate the whole head)");
        }
        String type = block.hasNonNull("rope_type") ? block.get("rope_type").asText()
                : block.hasNonNull("type") ? block.get("type").asText() : "default";
        String typeKey = (key == null ? "" : key + ".") + (block.hasNonNull("rope_type") ? "rope_type" : "type");
        return switch (type) {
            case "default" -> new RopeParameters(theta, type, 1, 1, 1, 0);
            case "linear" -> new RopeParameters(theta, type, f.positive("factor"), 1, 1, 0);
            case "llama3" -> {
                double low = f.positive("low_freq_factor");
                double high = f.positive("high_freq_factor");
                if (high <= low) {
                    throw new UserError(where + ": \"" + key + ".high_freq_factor\" must exceed low_freq_factor, got "
                            + high + " and " + low);
                }
                int original = block.hasNonNull("original_max_position_embeddings")
                        ? (int) f.positive("original_max_position_embeddings") : maxPositions;
                yield new RopeParameters(theta, type, f.positive("factor"), low, high, original);
            }
            default -> throw new UserError(where + ": \"" + typeKey + "\" \"" + type
                    + "\" is not supported (srg runs default, linear and llama3 rotary embeddings)");
        };
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && n.isObject() && !n.isEmpty();
    }

    /** Required positive numbers of the rope block, with errors naming the key. */
    private record Fields(String where, String block, JsonNode node) {
        double positive(String name) {
            JsonNode n = node.get(name);
            String path = block == null ? name : block + "." + name;
            if (n == null || n.isNull()) {
                throw new UserError(where + ": \"" + path + "\" is missing");
            }
            if (!n.isNumber() || !(n.asDouble() > 0)) {
                throw new UserError(where + ": \"" + path + "\" must be a positive number, got " + n);
            }
            return n.asDouble();
        }
    }

    /** The rotary inverse frequencies for a head of {@code headDim}, as transformers computes them. */
    public double[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        switch (type) {
            case "default" -> { }
            case "linear" -> {
                for (int i = 0; i < half; i++) {
                    inv[i] /= factor;
                }
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositions / lowFreqFactor;
                double highWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < half; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen < highWavelen) {
                        continue; // high frequencies: unchanged
                    }
                    if (wavelen > lowWavelen) {
                        inv[i] /= factor; // low frequencies: fully interpolated
                    } else {
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor)
                                / (highFreqFactor - lowFreqFactor);
                        inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                    }
                }
            }
            default -> throw new IllegalStateException("unsupported rope type " + type);
        }
        return inv;
    }
}
