package srg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import srg.UserError;
import srg.engine.model.ModelConfig;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;
import srg.engine.model.WeightInterpolation;
import srg.engine.safetensors.DType;

/** {@code srg model}: model-folder utilities. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Model folder utilities.",
        subcommands = {ModelCommand.Random.class, ModelCommand.Interpolate.class})
final class ModelCommand {

    /** {@code srg model random}: a random-weight checkpoint in Hugging Face layout. */
    @Command(
            name = "random",
            mixinStandardHelpOptions = true,
            description = "Write a random-weight checkpoint in Hugging Face layout (config.json, "
                    + "model.safetensors, tokenizer files), like the tiny-random models used for testing. "
                    + "Weights ~ N(0, 0.02), norms 1.")
    static final class Random implements Callable<Integer> {
        @Option(names = "--family", required = true, description = "llama, mistral, qwen2 or qwen3.")
        String family;

        @Option(names = "--preset", defaultValue = "tiny",
                description = "tiny (2 layers, hidden 64) or 0.5b (the shapes of Qwen2.5-0.5B). Default: ${DEFAULT-VALUE}.")
        String preset;

        @Option(names = "--tokenizer", required = true,
                description = "Folder with tokenizer.json (and tokenizer_config.json), e.g. ../shared/tokenizers/qwen3.")
        Path tokenizer;

        @Option(names = "--seed", defaultValue = "0", description = "Weight seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--dtype", defaultValue = "f32", description = "f32, f16 or bf16. Default: ${DEFAULT-VALUE}.")
        String dtype;

        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ModelFamily f = ModelFamily.fromModelType(family.toLowerCase(Locale.ROOT));
            if (f == null) {
                throw new UserError("--family: unknown family \"" + family + "\" (known: " + ModelFamily.supported() + ")");
            }
            DType d = DType.parse(dtype);
            RandomCheckpoint.Spec spec = RandomCheckpoint.Spec.of(f, RandomCheckpoint.Preset.parse(preset), tokenizer, seed)
                    .withDType(d);
            ModelConfig config = RandomCheckpoint.write(spec, out);
            System.out.printf(Locale.ROOT, "wrote %s: %s, %d layers, hidden %d, vocab %d, %.1fM parameters%n",
                    out, f.modelType(), config.numLayers(), config.hiddenSize(), config.vocabSize(),
                    config.parameterCount() / 1e6);
            return 0;
        }
    }

    /** {@code srg model interpolate}: WiSE-FT, a point between a base model and its full fine-tune. */
    @Command(
            name = "interpolate",
            mixinStandardHelpOptions = true,
            description = "Write base + ALPHA * (tuned - base), weight by weight: WiSE-FT (Wortsman et al., 2022), "
                    + "which can keep more of the base's skills than the fine-tuned model does. Both folders must hold the "
                    + "same tensors (a full fine-tune, not an adapter); the result takes the tuned folder's config "
                    + "and tokenizer.")
    static final class Interpolate implements Callable<Integer> {
        @Option(names = "--base", required = true, paramLabel = "DIR", description = "The model before fine-tuning.")
        Path base;

        @Option(names = "--tuned", required = true, paramLabel = "DIR", description = "The fine-tuned model.")
        Path tuned;

        @Option(names = "--alpha", required = true, paramLabel = "A",
                description = "Share of the fine-tuning kept, in (0, 1]: 1 writes the tuned model, 0.5 the midpoint.")
        double alpha;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Override
        public Integer call() throws Exception {
            WeightInterpolation.write(base, tuned, alpha, out);
            System.out.printf(Locale.ROOT, "wrote %s: %s + %.3f * (%s - %s)%n", out, base, alpha, tuned, base);
            return 0;
        }
    }
}
