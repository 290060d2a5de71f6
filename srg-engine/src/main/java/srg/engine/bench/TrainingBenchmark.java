package srg.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import srg.io.FileTrees;
import srg.engine.Offline;
import srg.engine.model.ModelConfig;
import srg.engine.model.ModelFamily;
import srg.engine.model.ModelLoader;
import srg.engine.model.Precision;
import srg.engine.model.Projection;
import srg.engine.model.RandomCheckpoint;
import srg.engine.model.Transformer;
import srg.engine.train.TrainConfig;
import srg.engine.train.TrainListener;
import srg.engine.train.Trainer;
import srg.engine.train.TrainingExample;

/**
 * Training throughput: random Llama-style checkpoints of about 10M and 100M parameters trained on
 * random tokens (batch × sequence length, loss on every token) through the real {@link Trainer},
 * in full and LoRA mode, timed by the median step after warm-up. Model FLOPs utilisation divides the model's FLOPs by the peak matmul
 * rate that this benchmark measures on the same machine with a large F32 matmul through DJL.
 *
 * <p>Parameters are counted as the weights a token is multiplied by: every projection of every
 * layer plus the LM head (tied to the embedding, so that matrix counts once; the embedding lookup
 * itself costs no FLOPs; norms are left out). Full training costs 6 FLOPs per such parameter and
 * token (forward 2, backward 4). LoRA costs about 4 per frozen parameter (no weight gradients)
 * plus 6 per adapter parameter. Attention-score FLOPs are not counted.
 */
public final class TrainingBenchmark {

    static {
        Offline.enforce();
    }

    /** A model shape to benchmark. */
    public record ModelShape(String name, int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab) {
        public static final ModelShape M10 = new ModelShape("llama-10m", 256, 768, 4, 8, 4, 32000);
        public static final ModelShape M100 = new ModelShape("llama-100m", 768, 2048, 12, 12, 4, 32000);
    }

    /** One measured configuration. */
    public record Result(String model, String mode, long matmulParameters, long totalParameters, long loraParameters,
            int batch, int sequenceLength, int measuredSteps, double medianSecondsPerStep, double meanSecondsPerStep,
            double tokensPerSecond,
            double flopsPerToken, double mfu6N, double mfuActual, long peakRssBytes) {}

    private TrainingBenchmark() {}

    /** Best F32 matmul rate over square sizes 2048–4096, in FLOP/s. */
    public static double peakMatmulFlops(int repeats) {
        double best = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int n : new int[] {2048, 3072, 4096}) {
                NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
                NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
                a.matMul(b).close(); // warm up
                for (int r = 0; r < repeats; r++) {
                    long t = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0); // forces completion
                    double s = (System.nanoTime() - t) / 1e9;
                    c.close();
                    best = Math.max(best, 2.0 * n * n * n / s);
                }
                a.close();
                b.close();
            }
        }
        return best;
    }

    /** Writes (once) a random checkpoint with {@code shape} under {@code work}. */
    public static Path checkpoint(ModelShape shape, Path work, Path tokenizer) throws IOException {
        Path dir = work.resolve(shape.name() + "-random");
        if (Files.exists(dir.resolve("model.safetensors"))) {
            return dir;
        }
        return writeCheckpoint(shape, dir, tokenizer);
    }

    /** Writes a random checkpoint with {@code shape} and {@code tokenizer}'s files into {@code dir}. */
    static Path writeCheckpoint(ModelShape shape, Path dir, Path tokenizer) throws IOException {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("hidden_size", shape.hidden());
        o.put("intermediate_size", shape.intermediate());
        o.put("num_hidden_layers", shape.layers());
        o.put("num_attention_heads", shape.heads());
        o.put("num_key_value_heads", shape.kvHeads());
        o.put("head_dim", shape.hidden() / shape.heads());
        o.put("vocab_size", shape.vocab());
        o.put("tie_word_embeddings", true);
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.LLAMA, RandomCheckpoint.Preset.TINY, tokenizer, 0)
                .withOverrides(o), dir);
        return dir;
    }

    /** Weights a token is multiplied by: all projections and the LM head. */
    public static long matmulParameters(ModelConfig c) {
        long perLayer = 0;
        for (Projection p : Projection.values()) {
            perLayer += (long) p.inFeatures(c) * p.outFeatures(c);
        }
        return c.numLayers() * perLayer + (long) c.vocabSize() * c.hiddenSize();
    }

    /** Trains {@code warmup + measured} steps on random tokens and times the measured ones. */
    public static Result run(Path checkpoint, String name, TrainConfig.Mode mode, Precision precision, int batch,
            int sequenceLength, int warmup, int measured, double peakFlops, Path scratch) throws IOException {
        PeakMemory.resetPeak();
        try (Transformer model = ModelLoader.load(checkpoint, Device.cpu())) {
            ModelConfig c = model.config();
            SplittableRandom rng = new SplittableRandom(7);
            List<TrainingExample> examples = new ArrayList<>();
            for (int i = 0; i < batch * (warmup + measured); i++) {
                long[] tokens = new long[sequenceLength];
                for (int t = 0; t < tokens.length; t++) {
                    tokens[t] = rng.nextInt(c.vocabSize());
                }
                examples.add(TrainingExample.allTokens(tokens));
            }
            TrainConfig config = TrainConfig.builder().mode(mode).learningRate(1e-4).maxSteps(warmup + measured)
                    .batchSize(batch).gradAccum(1).warmupRatio(0).seed(1).precision(precision).build();
            List<Double> seconds = new ArrayList<>();
            TrainListener timing = new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    if (m.step() > warmup) {
                        seconds.add(m.tokens() / m.tokensPerSecond());
                    }
                }
            };
            long loraParams = 0;
            try (Trainer trainer = new Trainer(model, config, timing)) {
                if (trainer.adapters() != null) {
                    for (var m : trainer.adapters().modules()) {
                        loraParams += m.a().size() + m.b().size();
                    }
                }
                Path runDir = Files.createTempDirectory(scratch, "bench-");
                try {
                    trainer.train(examples, List.of(), runDir, false);
                } finally {
                    FileTrees.deleteTree(runDir); // the log and the trainer's resume record
                }
            }
            long n = matmulParameters(c);
            // The median step: on a shared machine a neighbour's burst inflates single steps.
            List<Double> sorted = new ArrayList<>(seconds);
            Collections.sort(sorted);
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double tokensPerSecond = (double) batch * sequenceLength / median;
            double actualPerToken = mode == TrainConfig.Mode.FULL ? 6.0 * n : 4.0 * n + 6.0 * loraParams;
            return new Result(name, mode.name().toLowerCase(Locale.ROOT), n, c.parameterCount(), loraParams,
                    batch, sequenceLength, measured, median, mean, tokensPerSecond, actualPerToken,
                    6.0 * n * tokensPerSecond / peakFlops, actualPerToken * tokensPerSecond / peakFlops,
                    PeakMemory.peakRssBytes());
        }
    }
}
