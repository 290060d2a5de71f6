package srg.cli;

import java.util.List;
import java.util.Locale;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.model.Precision;
import srg.engine.safetensors.DType;

/** Turns sampling flags into {@link SamplingParams}, with errors that name the flag. */
final class CliChecks {

    private CliChecks() {}

    /** {@code --dtype f32|bf16|f16} (also float32, bfloat16, float16). */
    static DType dtype(String dtype) {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new UserError("--dtype: unknown dtype \"" + dtype + "\" (known: f32, f16, bf16)");
        };
    }

    /**
     * Applies a compute {@code --dtype} (resolved with {@link Precision#choose} before the model was
     * loaded, so that a bad value fails fast) and prints the choice to stderr, so that every figure
     * says what it ran.
     */
    static void useDtype(Precision.Choice choice, LocalModel model) {
        model.transformer().setPrecision(choice.precision());
        System.err.println("srg: matmuls in " + choice.describe());
    }

    static SamplingParams sampling(double temperature, double topP, int topK, int maxTokens, List<String> stop, long seed) {
        if (!(temperature >= 0)) {
            throw new UserError("--temperature must be >= 0 (0 means greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new UserError("--top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new UserError("--top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (maxTokens < 1) {
            throw new UserError("--max-tokens must be >= 1, got " + maxTokens);
        }
        return new SamplingParams(temperature, topP, topK, maxTokens, stop, seed);
    }
}
