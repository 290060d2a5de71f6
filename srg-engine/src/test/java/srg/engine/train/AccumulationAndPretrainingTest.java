package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.LocalModel;

/** Accumulated micro-batches equal one big batch; pretraining packs a corpus and learns it. */
class AccumulationAndPretrainingTest extends SingleThreadedTorch {

    @TempDir
    static Path tmp;
    static Path base;

    @BeforeAll
    static void setUp() throws IOException {
        base = WordModels.llama(tmp, Secrets.vocabulary(), 17);
    }


    /** Answers of different lengths, two of them long, so that micro-batches carry different token counts. */
    private static List<TrainingExample> examples(LocalModel model) {
        ChatEncoder encoder = ChatEncoder.of(model);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String extra = " and " + Secrets.FIRST[(i + 3) % 16];
            examples.add(encoder.encode(srg.chat.Conversation.of(srg.chat.Message.user(Secrets.question(i)),
                    srg.chat.Message.assistant(Secrets.answer(i) + extra.repeat(i % 4 == 3 ? 40 : i % 3)))));
        }
        return examples;
    }

    private static TrainConfig config(int batch, int accum, boolean split) {
        return TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-3).maxSteps(2)
                .batchSize(batch).gradAccum(accum).warmupRatio(0).seed(4).splitByLength(split).build();
    }

    private static Map<String, float[]> train(int batch, int accum, boolean split, String name) throws IOException {
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            try (Trainer trainer = new Trainer(model.transformer(), config(batch, accum, split), TrainListener.NONE)) {
                trainer.train(examples(model), List.of(), tmp.resolve(name), false);
            }
            return Weights.of(model.transformer());
        }
    }

    @Test
    void gradientAccumulationEqualsOneLargeBatch() throws IOException {
        Map<String, float[]> whole = train(4, 1, false, "b4");
        Map<String, float[]> halves = train(2, 2, false, "b2x2");
        Map<String, float[]> singles = train(1, 4, false, "b1x4");
        assertTrue(Weights.maxAbsDifference(whole, halves) < 1e-5, "4×1 vs 2×2: " + Weights.maxAbsDifference(whole, halves));
        assertTrue(Weights.maxAbsDifference(whole, singles) < 1e-5, "4×1 vs 1×4: " + Weights.maxAbsDifference(whole, singles));
    }

    @Test
    void splittingAStepByLengthKeepsItsGradient() throws IOException {
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            int[] lengths = examples(model).stream().mapToInt(TrainingExample::length).toArray();
            BatchPlan plan = new BatchPlan(lengths, config(4, 1, true));
            assertTrue(plan.microBatches(0).size() + plan.microBatches(1).size() > 2, "nothing was split");
        }
        Map<String, float[]> fixed = train(4, 1, false, "fixed");
        Map<String, float[]> split = train(4, 1, true, "split");
        assertTrue(Weights.maxAbsDifference(fixed, split) < 1e-5, "fixed vs split: " + Weights.maxAbsDifference(fixed, split));
    }

    @Test
    void pretrainingPacksTheCorpusAndLowersTheLossOnEveryToken() throws IOException {
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            documents.add(Secrets.answer(i));
        }
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            List<TrainingExample> packed = CorpusPacker.pack(documents, model.tokenizer(), 16);
            int total = documents.stream().mapToInt(d -> d.split(" ").length + 1).sum(); // words + eos
            assertEquals((total + 15) / 16, packed.size());
            for (TrainingExample e : packed.subList(0, packed.size() - 1)) {
                assertEquals(16, e.length());
                assertEquals(15, e.targetCount());
            }
            long eos = model.tokenizer().info().specialTokens().get("<|im_end|>");
            assertEquals(eos, packed.get(0).tokens()[7]); // "the secret of apple is red one" + eos
            TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).epochs(30)
                    .batchSize(4).gradAccum(1).seed(1).build();
            double before;
            TrainResult result;
            try (Trainer trainer = new Trainer(model.transformer(), config, TrainListener.NONE)) {
                before = trainer.evaluate(packed);
                result = trainer.train(packed, packed, tmp.resolve("pretrain"), false);
            }
            assertTrue(result.evalLoss() < before / 2, "loss " + before + " -> " + result.evalLoss());
        }
    }
}
