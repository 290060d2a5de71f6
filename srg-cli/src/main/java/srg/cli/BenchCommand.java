package srg.cli;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import srg.chat.Conversation;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.bench.GenerationBenchmark;
import srg.engine.bench.TrainingBenchmark;
import srg.engine.model.Precision;
import srg.engine.train.TrainConfig;

/** {@code srg bench}: the benchmarks behind docs/PERFORMANCE.md. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks (the figures in docs/PERFORMANCE.md come from these commands).",
        subcommands = {BenchCommand.Generate.class, BenchServeCommand.class, BenchCommand.Train.class, BenchHttpCommand.class,
                BenchSequentialCommand.class})
final class BenchCommand {

    /** {@code srg bench generate}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Sampling speed: one prompt of --prompt-tokens tokens, n samples decoded together "
                    + "(n streams sharing one prefill), for each n in --streams. Without --model it uses a random "
                    + "checkpoint with the shapes of Qwen2.5-0.5B (made once, then reused from --work).")
    static final class Generate implements Callable<Integer> {
        @Mixin
        BenchModel bench;

        @Option(names = "--prompt-tokens", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int newTokens;

        @Option(names = "--streams", split = ",", defaultValue = "1,8,32", description = "Default: ${DEFAULT-VALUE}.")
        List<Integer> streams;

        @Override
        public Integer call() throws Exception {
            Path dir = bench.folder();
            Device dev = Devices.parse(bench.device);
            try (LocalModel lm = bench.load()) {
                GenerationBenchmark run = new GenerationBenchmark(lm);
                Conversation prompt = run.promptOfLength(promptTokens);
                run.run(prompt, 1, 4, 1); // warm up the JIT and libtorch's allocator
                System.out.printf(Locale.ROOT, "model %s (%.0fM parameters), %s, %s, %d threads%n", dir,
                        lm.transformer().config().parameterCount() / 1e6, dev, bench.precision.describe(),
                        Runtime.getRuntime().availableProcessors());
                System.out.println("| streams | prompt tokens | new tokens/stream | prefill tok/s | decode tok/s"
                        + " | total tok/s | peak RSS |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int n : streams) {
                    GenerationBenchmark.Result r = run.run(prompt, n, newTokens, 42);
                    System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.1f | %.1f | %.2f GB |%n", r.streams(),
                            r.promptTokens(), r.newTokensPerStream(), r.prefillTokensPerSecond(),
                            r.decodeTokensPerSecond(), r.totalTokensPerSecond(), r.peakRssBytes() / 1e9);
                }
            }
            return 0;
        }
    }

    /** {@code srg bench train}. */
    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = {
                "Training speed: random Llama-style checkpoints of ~10M and ~100M parameters (made once in --work),"
                        + " batch x sequence length random tokens, loss on every token, full and LoRA (r 16, all"
                        + " projections), through the real trainer. Reports tokens/s, peak RSS per run, and MFU against"
                        + " the peak F32 matmul rate measured first through DJL on this machine. Peak RSS is the"
                        + " process's high-water mark from the start of each run; freed native memory stays in the"
                        + " process, so run one --models/--modes pair per invocation for a clean figure.",
                "Parameters for MFU: every projection weight plus the LM head (tied to the embedding, counted once;"
                        + " the embedding lookup and norms are not counted). MFU(6N) = 6 x N x tokens/s / peak; MFU"
                        + " (actual) uses 4N + 6 x LoRA params for LoRA (frozen weights get no weight gradient)."
            })
    static final class Train implements Callable<Integer> {
        @Option(names = "--work", defaultValue = "${sys:srg.home:-.}/.srg/bench",
                description = "Where the random checkpoints are kept. Default: ${DEFAULT-VALUE}.")
        Path work;

        @Option(names = "--tokenizer", defaultValue = "${sys:srg.home:-.}/../shared/tokenizers/llama3",
                description = "Tokenizer folder for the random checkpoints (only its special tokens are used). Default: ${DEFAULT-VALUE}.")
        Path tokenizer;

        @Option(names = "--models", split = ",", defaultValue = "10m,100m", description = "10m and/or 100m. Default: ${DEFAULT-VALUE}.")
        List<String> models;

        @Option(names = "--modes", split = ",", defaultValue = "full,lora", description = "full and/or lora. Default: ${DEFAULT-VALUE}.")
        List<String> modes;

        @Option(names = "--batch", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--seq-len", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
        int seqLen;

        @Option(names = "--warmup-steps", defaultValue = "2", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
        int warmupSteps;

        @Option(names = "--compute-dtype", paramLabel = "f32|bf16|auto",
                description = "Matmul format of the trainer: f32, bf16 (mixed precision) or auto (bf16 where the CPU"
                        + " reports avx512_bf16 or amx_bf16). MFU stays against the F32 peak. Default: f32.")
        String computeDtype;

        @Option(names = "--steps", defaultValue = "4", description = "Timed steps (the median is reported). Default: ${DEFAULT-VALUE}.")
        int steps;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(work);
            Precision.Choice precision = Precision.choose(computeDtype, "compute_dtype");
            System.out.println("matmuls in " + precision.describe());
            double peak = TrainingBenchmark.peakMatmulFlops(3);
            System.out.printf(Locale.ROOT, "peak F32 matmul through DJL: %.1f GFLOP/s (best of 2048..4096 square),"
                    + " libtorch threads %d, %d CPUs%n", peak / 1e9, TrainingBenchmark.torchThreads(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| model | mode | params (total / matmul N / LoRA) | batch x len | s/step median (mean)"
                    + " | tokens/s | MFU (6N) | MFU (actual FLOPs) | peak RSS |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (String m : models) {
                TrainingBenchmark.ModelShape shape = switch (m.toLowerCase(Locale.ROOT)) {
                    case "10m" -> TrainingBenchmark.ModelShape.M10;
                    case "100m" -> TrainingBenchmark.ModelShape.M100;
                    default -> throw new srg.UserError("--models: unknown model \"" + m + "\" (use 10m, 100m)");
                };
                Path dir = TrainingBenchmark.checkpoint(shape, work, tokenizer);
                for (String mode : modes) {
                    TrainConfig.Mode tm = switch (mode.toLowerCase(Locale.ROOT)) {
                        case "full" -> TrainConfig.Mode.FULL;
                        case "lora" -> TrainConfig.Mode.LORA;
                        default -> throw new srg.UserError("--modes: unknown mode \"" + mode + "\" (use full, lora)");
                    };
                    TrainingBenchmark.Result r = TrainingBenchmark.run(dir, shape.name(), tm, precision.precision(), batch,
                            seqLen, warmupSteps, steps, peak, work);
                    System.out.printf(Locale.ROOT, "| %s | %s | %.1fM / %.1fM / %.2fM | %d x %d | %.2f (%.2f) | %.1f | %.1f%% | %.1f%% | %.2f GB |%n",
                            r.model(), r.mode(), r.totalParameters() / 1e6, r.matmulParameters() / 1e6,
                            r.loraParameters() / 1e6, r.batch(), r.sequenceLength(), r.medianSecondsPerStep(),
                            r.meanSecondsPerStep(), r.tokensPerSecond(),
                            100 * r.mfu6N(), 100 * r.mfuActual(), r.peakRssBytes() / 1e9);
                }
            }
            return 0;
        }
    }
}
