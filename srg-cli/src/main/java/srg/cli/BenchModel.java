package srg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.model.Precision;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/**
 * The model of the generation benchmarks ({@code srg bench generate}, {@code srg bench serve}), a
 * picocli mixin: {@code --model}, or by default a random checkpoint with the shapes of
 * Qwen2.5-0.5B, made in {@code --work} on first use and reused after, so both benchmarks measure
 * the same weights.
 */
final class BenchModel {

    @Option(names = "--model", description = "Model folder (default: a random 0.5b-preset Qwen2 checkpoint).")
    Path model;

    @Option(names = "--work", defaultValue = "${sys:srg.home:-.}/.srg/bench",
            description = "Where the random checkpoint is kept. Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = "--tokenizer", defaultValue = "${sys:srg.home:-.}/../shared/tokenizers/qwen3",
            description = "Tokenizer for the random checkpoint. Default: ${DEFAULT-VALUE}.")
    Path tokenizer;

    @Option(names = "--device", defaultValue = "cpu", description = "Default: ${DEFAULT-VALUE}.")
    String device;

    @Mixin
    DtypeOption dtype;

    /** The resolved --dtype of the last {@link #load()}. */
    Precision.Choice precision;

    /** Loads the model folder on --device with --dtype applied. */
    LocalModel load() throws IOException {
        precision = dtype.choose();
        LocalModel lm = LocalModel.load(folder(), Devices.parse(device));
        dtype.apply(precision, lm, System.err);
        return lm;
    }

    /** The model folder, making the random checkpoint first when needed. */
    Path folder() throws IOException {
        if (model != null) {
            return model;
        }
        Path dir = work.resolve("qwen2-0.5b-random");
        if (!Files.exists(dir.resolve("config.json"))) {
            System.err.println("making a random Qwen2 checkpoint with the 0.5b preset in " + dir + " ...");
            RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN2, RandomCheckpoint.Preset.B0_5, tokenizer, 0), dir);
        }
        return dir;
    }
}
