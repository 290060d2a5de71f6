package srg.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder-only families srg runs. They share one architecture (pre-norm RMSNorm, rotary
 * attention with grouped KV heads, SwiGLU MLP) and differ in a few switches, and in the defaults
 * transformers' config classes give to fields a config.json leaves out.
 */
public enum ModelFamily {
    /** Llama 2, 3, 3.1, 3.2: optional biases ({@code attention_bias}, {@code mlp_bias}). */
    LLAMA("llama", "LlamaForCausalLM", 0, 0, 2048),
    /** Mistral 7B and relatives: a sliding window on every layer (4096 unless the config says otherwise). */
    MISTRAL("mistral", "MistralForCausalLM", 0, 8, 131072),
    /** Qwen2 and Qwen2.5: biases on the q, k and v projections; optional sliding-window layers. */
    QWEN2("qwen2", "Qwen2ForCausalLM", 0, 32, 32768),
    /** Qwen3: RMSNorm on each head of q and k before the rotary embedding; optional sliding-window layers. */
    QWEN3("qwen3", "Qwen3ForCausalLM", 128, 32, 32768);

    private final String modelType;
    private final String architecture;
    private final int defaultHeadDim;
    private final int defaultKvHeads;
    private final int defaultMaxPositions;

    ModelFamily(String modelType, String architecture, int defaultHeadDim, int defaultKvHeads, int defaultMaxPositions) {
        this.modelType = modelType;
        this.architecture = architecture;
        this.defaultHeadDim = defaultHeadDim;
        this.defaultKvHeads = defaultKvHeads;
        this.defaultMaxPositions = defaultMaxPositions;
    }

    /** The {@code model_type} in config.json. */
    public String modelType() {
        return modelType;
    }

    /** Whether q/k/v projections always carry a bias (Qwen2). */
    public boolean qkvBias() {
        return this == QWEN2;
    }

    /** Whether q and k get a per-head RMSNorm (Qwen3). */
    public boolean qkNorm() {
        return this == QWEN3;
    }

    /** Whether transformers reads {@code attention_bias} for this family (Mistral and Qwen2 ignore it). */
    boolean readsAttentionBias() {
        return this == LLAMA || this == QWEN3;
    }

    /** Whether transformers reads {@code mlp_bias} for this family (Llama only). */
    boolean readsMlpBias() {
        return this == LLAMA;
    }

    /** The Hugging Face architecture class name written to config.json. */
    public String architecture() {
        return architecture;
    }

    /** transformers' {@code head_dim} when config.json has none: Qwen3 128, the others hidden / heads. */
    int defaultHeadDim(int hidden, int heads) {
        return defaultHeadDim > 0 ? defaultHeadDim : hidden / heads;
    }

    /**
     * transformers' {@code num_key_value_heads} when config.json leaves the key out (an explicit
     * null means as many as the attention heads): Llama's class defaults to the heads, the others
     * to a fixed number.
     */
    int defaultKvHeads(int heads) {
        return defaultKvHeads > 0 ? defaultKvHeads : heads;
    }

    /** transformers' {@code max_position_embeddings} when config.json has none. */
    int defaultMaxPositions() {
        return defaultMaxPositions;
    }

    /** Looks up a family by model_type; null when unknown. */
    public static ModelFamily fromModelType(String modelType) {
        for (ModelFamily f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        return null;
    }

    public static String supported() {
        return Arrays.stream(values()).map(ModelFamily::modelType).collect(Collectors.joining(", "));
    }
}
