package srg.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.UserError;
import srg.io.Utf8File;

/**
 * The parts of a Hugging Face {@code config.json} that the decoder needs, plus the raw JSON so
 * that saving a model writes the user's config back unchanged.
 *
 * @param headDim per-head width; config's {@code head_dim} or hidden / heads
 * @param attentionBias q/k/v projections have biases (always for Qwen2)
 * @param slidingWindow attention window in tokens, or 0 for full attention
 * @param eosTokenIds end-of-sequence ids from config.json (may be empty)
 */
public record ModelConfig(
        ModelFamily family,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositions,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        int slidingWindow,
        List<Integer> eosTokenIds,
        int bosTokenId,
        ObjectNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public int groups() {
        return numHeads / numKvHeads;
    }

    public int qSize() {
        return numHeads * headDim;
    }

    public int kvSize() {
        return numKvHeads * headDim;
    }

    /** Parameter count, counting tied embeddings once. */
    public long parameterCount() {
        long h = hiddenSize;
        long attn = h * qSize() + 2 * h * kvSize() + (long) qSize() * h;
        if (attentionBias) {
            attn += qSize() + 2L * kvSize();
        }
        long qk = family.qkNorm() ? 2L * headDim : 0;
        long mlp = 3 * h * intermediateSize + (mlpBias ? 2L * intermediateSize + h : 0);
        long layer = attn + qk + mlp + 2 * h;
        long embed = (long) vocabSize * h;
        return numLayers * layer + embed + h + (tieWordEmbeddings ? 0 : embed);
    }

    public static ModelConfig read(Path configJson) throws IOException {
        if (!Files.exists(configJson)) {
            throw new UserError(configJson + ": not found (a Hugging Face model folder needs config.json)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Utf8File.open(configJson));
        } catch (IOException e) {
            throw new UserError(configJson + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new UserError(configJson + ": expected a JSON object");
        }
        return fromJson((ObjectNode) root, configJson.toString());
    }

    public static ModelConfig fromJson(ObjectNode root, String where) {
        Fields f = new Fields(root, where);
        String modelType = f.string("model_type");
        ModelFamily family = ModelFamily.fromModelType(modelType);
        if (family == null) {
            throw new UserError(where + ": unknown model_type \"" + modelType + "\" (srg supports "
                    + ModelFamily.supported() + ")");
        }
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new UserError(where + ": hidden_act \"" + act + "\" is not supported (srg runs silu)");
        }
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = root.hasNonNull("num_key_value_heads") ? f.positiveInt("num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new UserError(where + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim = root.hasNonNull("head_dim") ? f.positiveInt("head_dim") : hidden / heads;
        if (headDim % 2 != 0) {
            throw new UserError(where + ": head_dim " + headDim + " must be even for rotary embeddings");
        }
        boolean tied = root.path("tie_word_embeddings").asBoolean(false);
        boolean attnBias = family.qkvBias() || root.path("attention_bias").asBoolean(false);
        boolean mlpBias = root.path("mlp_bias").asBoolean(false);
        int window = 0;
        JsonNode sw = root.get("sliding_window");
        boolean useWindow = family == ModelFamily.MISTRAL || root.path("use_sliding_window").asBoolean(false);
        if (useWindow && sw != null && sw.isNumber()) {
            window = sw.asInt();
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = root.get("eos_token_id");
        if (eosNode != null && eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asInt()));
        } else if (eosNode != null && eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        return new ModelConfig(
                family,
                hidden,
                f.positiveInt("intermediate_size"),
                f.positiveInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                f.positiveInt("vocab_size"),
                root.path("rms_norm_eps").asDouble(1e-6),
                root.path("rope_theta").asDouble(10000.0),
                ropeScaling(root.get("rope_scaling"), where),
                root.path("max_position_embeddings").asInt(4096),
                tied,
                attnBias,
                mlpBias,
                window,
                eos,
                root.path("bos_token_id").asInt(-1),
                root.deepCopy());
    }

    private static RopeScaling ropeScaling(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return RopeScaling.NONE;
        }
        String type = node.path("rope_type").asText(node.path("type").asText("default"));
        return switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling("linear", node.path("factor").asDouble(1), 1, 1, 0);
            case "llama3" -> new RopeScaling("llama3",
                    node.path("factor").asDouble(8),
                    node.path("low_freq_factor").asDouble(1),
                    node.path("high_freq_factor").asDouble(4),
                    node.path("original_max_position_embeddings").asInt(8192));
            default -> throw new UserError(where + ": rope_scaling type \"" + type
                    + "\" is not supported (srg supports default, linear and llama3)");
        };
    }

    /** Reads required fields with errors that name the file and the key. */
    private record Fields(JsonNode root, String where) {
        String string(String key) {
            JsonNode n = root.get(key);
            if (n == null || !n.isTextual()) {
                throw new UserError(where + ": missing or non-string field \"" + key + "\"");
            }
            return n.asText();
        }

        int positiveInt(String key) {
            JsonNode n = root.get(key);
            if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
                throw new UserError(where + ": field \"" + key + "\" must be a positive integer, got "
                        + (n == null ? "nothing" : n.toString()));
            }
            return n.asInt();
        }
    }
}
