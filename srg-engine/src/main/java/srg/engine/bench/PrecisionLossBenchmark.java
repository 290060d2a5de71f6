package srg.engine.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.LocalModel;
import srg.engine.Offline;
import srg.engine.model.Precision;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;
import srg.engine.train.TrainListener;
import srg.engine.train.Trainer;
import srg.engine.train.TrainingData;
import srg.io.FileTrees;
import srg.world.SafetyData;
import srg.world.World;
import srg.world.WorldConfig;
import srg.world.WorldGenerator;
import srg.world.WorldTokenizer;

/**
 * Whether BF16 mixed-precision training tracks F32 at a benchmark model's size (issue 18: within
 * 2% after 100 steps on the 10M model): the same checkpoint, SFT data, seed and batches, trained
 * once in F32 and once in BF16, the loss compared step by step. The unit test
 * (MixedPrecisionTest) makes the same check on a tiny model in {@code mvn verify}.
 *
 * <p>The data must be learnable, or both curves sit at ln(vocabulary) and agree for nothing: it is
 * SafetyWorld's SRG fine-tuning set (requests in many forms, answers that reason before they
 * decide; loss on the assistant turns), generated for a seed, with a word-level tokenizer that
 * covers it. The model has the benchmark shape ({@link TrainingBenchmark.ModelShape}, 32,000
 * vocabulary rows, of which the world's words use the first few thousand), random weights.
 */
public final class PrecisionLossBenchmark {

    static {
        Offline.enforce();
    }

    /** One run's loss at every step, and its wall time. */
    public record Curve(Precision precision, List<Double> losses, double seconds) {}

    /** Both runs, and how far apart their losses are. */
    public record Result(String model, int examples, Curve f32, Curve bf16) {

        /** The largest |BF16 - F32| / F32 over the steps. */
        public double worstDifference() {
            double worst = 0;
            for (int i = 0; i < f32.losses().size(); i++) {
                worst = Math.max(worst, Math.abs(bf16.losses().get(i) - f32.losses().get(i)) / f32.losses().get(i));
            }
            return worst;
        }

        /** |BF16 - F32| / F32 of the mean loss over the last {@code n} steps. */
        public double lastDifference(int n) {
            double f = mean(f32.losses(), n);
            return Math.abs(mean(bf16.losses(), n) - f) / f;
        }

        private static double mean(List<Double> xs, int n) {
            return xs.subList(Math.max(0, xs.size() - n), xs.size()).stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN);
        }
    }

    private PrecisionLossBenchmark() {}

    /** The world's SRG fine-tuning conversations for {@code seed}. */
    static List<Conversation> conversations(long seed) {
        // The 48-substance world of v2.5, on which docs/PERFORMANCE.md's figures were measured.
        World world = WorldGenerator.generate(new WorldConfig(seed, 6, 2));
        List<Conversation> out = new ArrayList<>();
        for (SafetyData.Example e : SafetyData.reasoningTraining(world, SafetyData.Recipe.STANDARD)) {
            out.add(e.conversation());
        }
        return out;
    }

    /**
     * Writes (once) a random checkpoint of {@code shape} with a tokenizer covering the conversations
     * (its vocabulary grown to the tokenizer's where the shape's is smaller).
     */
    static Path checkpoint(TrainingBenchmark.ModelShape shape, Path work, long seed, List<Conversation> data)
            throws IOException {
        Path dir = work.resolve(shape.name() + "-world" + seed);
        if (Files.exists(dir.resolve("model.safetensors"))) {
            return dir;
        }
        Set<String> texts = new HashSet<>();
        for (Conversation c : data) {
            for (Message m : c.messages()) {
                texts.add(m.content());
            }
        }
        Path tokenizer = work.resolve("world" + seed + "-tokenizer");
        WorldTokenizer words = WorldTokenizer.covering(texts);
        words.write(tokenizer);
        TrainingBenchmark.ModelShape fitted = words.size() <= shape.vocab() ? shape : new TrainingBenchmark.ModelShape(
                shape.name(), shape.hidden(), shape.intermediate(), shape.layers(), shape.heads(), shape.kvHeads(), words.size());
        return TrainingBenchmark.writeCheckpoint(fitted, dir, tokenizer);
    }

    /**
     * Trains the shape's world checkpoint {@code steps} steps in F32, then in BF16 (full fine-tuning,
     * batch {@code batch}, learning rate {@code lr} after a 10% warm-up); {@code work} keeps the
     * checkpoint, {@code scratch} the runs' logs while they train.
     */
    public static Result run(TrainingBenchmark.ModelShape shape, Path work, long seed, int steps, int batch, double lr,
            Path scratch) throws IOException {
        List<Conversation> data = conversations(seed);
        Path checkpoint = checkpoint(shape, work, seed, data);
        Curve f32 = train(checkpoint, data, Precision.F32, steps, batch, lr, scratch);
        Curve bf16 = train(checkpoint, data, Precision.BF16, steps, batch, lr, scratch);
        return new Result(shape.name(), data.size(), f32, bf16);
    }

    private static Curve train(Path checkpoint, List<Conversation> data, Precision precision, int steps, int batch, double lr,
            Path scratch) throws IOException {
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(lr).maxSteps(steps)
                .batchSize(batch).gradAccum(1).warmupRatio(0.1).seed(1).precision(precision).build();
        List<Double> losses = new ArrayList<>();
        long started = System.nanoTime();
        try (LocalModel model = LocalModel.load(checkpoint, Device.cpu())) {
            TrainingData examples = TrainingData.chat(model, data, 1024, LengthPolicy.DROP);
            try (Trainer trainer = new Trainer(model.transformer(), config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    losses.add(m.loss());
                }
            })) {
                Path runDir = Files.createTempDirectory(Files.createDirectories(scratch), "loss-");
                try {
                    trainer.train(examples.examples(), List.of(), runDir, false);
                } finally {
                    FileTrees.deleteTree(runDir);
                }
            }
        }
        return new Curve(precision, List.copyOf(losses), (System.nanoTime() - started) / 1e9);
    }
}
