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
import srg.engine.safetensors.DType;

/** {@code srg model}: model-folder utilities. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Model folder utilities.",
        subcommands = {ModelCommand.Random.class})
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
}
