package srg.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder-only families srg runs. They share one architecture (pre-norm RMSNorm, rotary
 * attention with grouped KV heads, SwiGLU MLP) and differ in a few switches.
 */
public enum ModelFamily {
    /** Llama 2, 3, 3.1, 3.2. */
    LLAMA("llama", false, false),
    /** Mistral 7B and relatives; optional sliding-window attention. */
    MISTRAL("mistral", false, false),
    /** Qwen2 and Qwen2.5: biases on the q, k and v projections. */
    QWEN2("qwen2", true, false),
    /** Qwen3: RMSNorm on each head of q and k before the rotary embedding. */
    QWEN3("qwen3", false, true);

    private final String modelType;
    private final boolean qkvBias;
    private final boolean qkNorm;

    ModelFamily(String modelType, boolean qkvBias, boolean qkNorm) {
        this.modelType = modelType;
        this.qkvBias = qkvBias;
        this.qkNorm = qkNorm;
    }

    /** The {@code model_type} in config.json. */
    public String modelType() {
        return modelType;
    }

    /** Whether q/k/v projections always carry a bias (Qwen2). */
    public boolean qkvBias() {
        return qkvBias;
    }

    /** Whether q and k get a per-head RMSNorm (Qwen3). */
    public boolean qkNorm() {
        return qkNorm;
    }

    /** The Hugging Face architecture class name written to config.json. */
    public String architecture() {
        return switch (this) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
        };
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
