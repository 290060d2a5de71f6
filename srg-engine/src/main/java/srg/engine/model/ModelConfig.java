package srg.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import srg.UserError;
import srg.io.Utf8File;

/**
 * The parts of a Hugging Face {@code config.json} that the decoder needs, plus the raw JSON so
 * that saving a model writes the user's config back unchanged.
 *
 * <p>Fields are read as transformers reads them, in today's layout and the older one (see
 * {@link RopeParameters} and {@link LayerWindows}), with the family's defaults for keys a config
 * leaves out. A field that would change the computation and that srg does not implement is an
 * error naming the file and the key, never silently ignored.
 *
 * @param headDim per-head width; config's {@code head_dim} or the family's default
 * @param attentionBias q/k/v projections have biases (always for Qwen2)
 * @param layerWindows each layer's attention window in tokens, 0 for full attention
 * @param attentionDropout dropout on attention weights in training (srg trains without it)
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
        RopeParameters rope,
        int maxPositions,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        List<Integer> layerWindows,
        double attentionDropout,
        List<Integer> eosTokenIds,
        int bosTokenId,
        ObjectNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Weight dtypes a config may declare ({@code dtype}, or {@code torch_dtype} before transformers 5). */
    private static final Set<String> DTYPES = Set.of("float32", "float16", "bfloat16", "auto");

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        layerWindows = List.copyOf(layerWindows);
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

    /** The attention window of {@code layer} in tokens, 0 for full attention. */
    public int window(int layer) {
        return layerWindows.get(layer);
    }

    /** The sliding window of the layers that have one, 0 when every layer attends fully. */
    public int slidingWindow() {
        return layerWindows.stream().mapToInt(Integer::intValue).max().orElse(0);
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
        refuseUnimplemented(root, where, family);
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = !root.has("num_key_value_heads") ? family.defaultKvHeads(heads)
                : root.get("num_key_value_heads").isNull() ? heads : f.positiveInt("num_key_value_heads");
        if (heads % kvHeads != 0) {
            throw new UserError(where + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim = root.hasNonNull("head_dim") ? f.positiveInt("head_dim") : family.defaultHeadDim(hidden, heads);
        if (headDim % 2 != 0) {
            throw new UserError(where + ": head_dim " + headDim + " must be even for rotary embeddings");
        }
        int layers = f.positiveInt("num_hidden_layers");
        int maxPositions = root.hasNonNull("max_position_embeddings") ? f.positiveInt("max_position_embeddings")
                : family.defaultMaxPositions();
        boolean attnBias = family.qkvBias() || family.readsAttentionBias() && f.bool("attention_bias");
        boolean mlpBias = family.readsMlpBias() && f.bool("mlp_bias");
        return new ModelConfig(
                family,
                hidden,
                f.positiveInt("intermediate_size"),
                layers,
                heads,
                kvHeads,
                headDim,
                f.positiveInt("vocab_size"),
                root.path("rms_norm_eps").asDouble(1e-6),
                RopeParameters.read(root, where, maxPositions),
                maxPositions,
                f.bool("tie_word_embeddings"),
                attnBias,
                mlpBias,
                LayerWindows.read(root, where, family, layers),
                root.path("attention_dropout").asDouble(0),
                f.tokenIds("eos_token_id"),
                root.path("bos_token_id").asInt(-1),
                root.deepCopy());
    }

    /** Fields that change the computation in ways srg does not implement: refused by name. */
    private static void refuseUnimplemented(ObjectNode root, String where, ModelFamily family) {
        JsonNode quantization = root.get("quantization_config");
        if (quantization != null && !quantization.isNull()) {
            String method = quantization.path("quant_method").asText("unknown");
            throw new UserError(where + ": \"quantization_config\" (" + method + ") is not supported (srg runs"
                    + " float32, float16 and bfloat16 weights)");
        }
        JsonNode architectures = root.get("architectures");
        if (architectures != null && architectures.isArray()) {
            for (JsonNode a : architectures) {
                if (!a.asText().equals(family.architecture())) {
                    throw new UserError(where + ": \"architectures\" names " + a + ", which disagrees with model_type \""
                            + family.modelType() + "\" (srg runs " + family.architecture() + ")");
                }
            }
        }
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new UserError(where + ": \"hidden_act\" \"" + act + "\" is not supported (srg runs silu)");
        }
        for (String key : new String[] {"dtype", "torch_dtype"}) {
            JsonNode d = root.get(key);
            if (d != null && !d.isNull() && !DTYPES.contains(d.asText())) {
                throw new UserError(where + ": \"" + key + "\" " + d + " is not supported (srg reads float32,"
                        + " float16 and bfloat16 checkpoints)");
            }
        }
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

        boolean bool(String key) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return false;
            }
            if (!n.isBoolean()) {
                throw new UserError(where + ": field \"" + key + "\" must be true or false, got " + n);
            }
            return n.asBoolean();
        }

        /** A token id, a list of them, or null. */
        List<Integer> tokenIds(String key) {
            JsonNode n = root.get(key);
            List<Integer> ids = new ArrayList<>();
            if (n == null || n.isNull()) {
                return ids;
            }
            for (JsonNode id : n.isArray() ? n : List.of(n)) {
                if (!id.canConvertToInt() || id.asInt() < 0) {
                    throw new UserError(where + ": field \"" + key + "\" must be a token id or a list of them, got " + n);
                }
                ids.add(id.asInt());
            }
            return ids;
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
