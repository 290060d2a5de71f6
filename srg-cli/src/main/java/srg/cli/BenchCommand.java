package srg.cli;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import srg.chat.Conversation;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.bench.GenerationBenchmark;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/** {@code srg bench}: the benchmarks behind docs/PERFORMANCE.md. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks (the figures in docs/PERFORMANCE.md come from these commands).",
        subcommands = {BenchCommand.Generate.class, BenchHttpCommand.class, BenchSequentialCommand.class})
final class BenchCommand {

    /** {@code srg bench generate}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Sampling speed: one prompt of --prompt-tokens tokens, n samples decoded together "
                    + "(n streams sharing one prefill), for each n in --streams. Without --model it uses a random "
                    + "checkpoint with the shapes of Qwen2.5-0.5B (made once, then reused from --work).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--model", description = "Model folder (default: a random 0.5b-preset Qwen2 checkpoint).")
        Path model;

        @Option(names = "--work", defaultValue = "${sys:srg.home:-.}/.srg/bench",
                description = "Where the random checkpoint is kept. Default: ${DEFAULT-VALUE}.")
        Path work;

        @Option(names = "--tokenizer", defaultValue = "${sys:srg.home:-.}/../shared/tokenizers/qwen3",
                description = "Tokenizer for the random checkpoint. Default: ${DEFAULT-VALUE}.")
        Path tokenizer;

        @Option(names = "--prompt-tokens", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int newTokens;

        @Option(names = "--streams", split = ",", defaultValue = "1,8,32", description = "Default: ${DEFAULT-VALUE}.")
        List<Integer> streams;

        @Option(names = "--device", defaultValue = "cpu", description = "Default: ${DEFAULT-VALUE}.")
        String device;

        @Override
        public Integer call() throws Exception {
            Path dir = model;
            if (dir == null) {
                dir = work.resolve("qwen2-0.5b-random");
                if (!Files.exists(dir.resolve("config.json"))) {
                    System.err.println("making a random Qwen2 checkpoint with the 0.5b preset in " + dir + " ...");
                    RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN2, RandomCheckpoint.Preset.B0_5,
                            tokenizer, 0), dir);
                }
            }
            Device dev = Devices.parse(device);
            try (LocalModel lm = LocalModel.load(dir, dev)) {
                GenerationBenchmark bench = new GenerationBenchmark(lm);
                Conversation prompt = bench.promptOfLength(promptTokens);
                bench.run(prompt, 1, 4, 1); // warm up the JIT and libtorch's allocator
                System.out.printf(Locale.ROOT, "model %s (%.0fM parameters), %s, %d threads%n", dir,
                        lm.transformer().config().parameterCount() / 1e6, dev, Runtime.getRuntime().availableProcessors());
                System.out.println("| streams | prompt tokens | new tokens/stream | prefill tok/s | decode tok/s"
                        + " | total tok/s | peak RSS |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int n : streams) {
                    GenerationBenchmark.Result r = bench.run(prompt, n, newTokens, 42);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %.1f | %.2f GB |%n", r.streams(),
                            r.promptTokens(), r.newTokensPerStream(), r.prefillTokensPerSecond(),
                            r.decodeTokensPerSecond(), r.totalTokensPerSecond(), r.peakRssBytes() / 1e9);
                }
            }
            return 0;
        }
    }
}
