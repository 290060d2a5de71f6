package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.Completion;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.engine.LocalModel;
import srg.engine.TestModels;
import srg.engine.generate.Generator;
import srg.engine.model.ModelFamily;
import srg.engine.model.Precision;
import srg.engine.model.Transformer;

/**
 * Issue 18's decoding check: greedy decoding in BF16 gives F32's token at >= 90% of positions,
 * over prompts of the parity suite (the first prompts of the shared datasets whose every prompt
 * its tokenizer check encodes, and its greedy-generation prompt).
 *
 * <p>Why a trained model: a random checkpoint has nothing to continue. Its logits are flat, so
 * its greedy output is whatever token its random weights happen to favour (often the same one
 * again, or an end token at once), and agreement on it says little about BF16 on a model that
 * predicts something. A trained model's logits are peaked where it has learned, as a real model's
 * are on most tokens; that is where BF16 inference is used and where a broken BF16 path shows.
 * So a tiny Qwen2 (2 layers, hidden 64, a word-level vocabulary of these prompts: the real
 * tokenizers' 128k-152k-row LM heads would make training take minutes) is trained in F32 to
 * continue the prompts, then decodes greedily from each prompt's first four words, in F32 and in
 * BF16, through the generator (batched, KV cache). Before training it decodes once in BF16, so
 * BF16 copies of the random weights exist: if they outlived training, or a projection were laid
 * out wrongly, or rounding were far coarser than BF16's, the continuations would part and the
 * agreement would fall far below 90% (with the copies kept, measured: 0 of 300 positions).
 */
class Bf16GreedyTest extends SingleThreadedTorch {

    /** Some of the datasets of the parity suite's tokenizer check (srg-parity, Reference.PROMPT_DATASETS). */
    private static final List<String> DATASETS = List.of("harmful/harmbench_behaviors_text_all.csv",
            "harmful/advbench_behaviors.csv", "harmful/strongreject_dataset.csv", "harmful/malicious_instruct.txt",
            "benign/refusal_direction_harmless_test.json", "xstest/xstest_prompts.csv");
    /** The parity suite's greedy-generation prompt (srg-parity, reference.py). */
    private static final String GREEDY_PROMPT = "Explain why the sky is blue in one short paragraph.";
    private static final int PER_DATASET = 4;
    private static final int PREFIX_WORDS = 4;
    private static final int NEW_TOKENS = 12;
    private static final int TRAIN_STEPS = 150;

    @TempDir
    Path tmp;

    @Test
    void greedyBf16DecodingAgreesWithF32OnParityPrompts() throws IOException {
        List<String> prompts = prompts();
        // Qwen2: its q/k/v projections have biases, added after the BF16 matmul.
        Path base = WordModels.tiny(ModelFamily.QWEN2, tmp, WordModels.words(prompts.toArray(String[]::new)), 5);
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            Transformer t = model.transformer();
            List<String> prefixes = prompts.stream().map(Bf16GreedyTest::prefix).toList();
            SamplingParams greedy = new SamplingParams(0, 1, 0, NEW_TOKENS, List.of(), 0);
            // BF16 copies of the random weights are made here; training must not leave them in use.
            t.setPrecision(Precision.BF16);
            decode(model, prefixes, greedy);
            List<TrainingExample> examples = prompts.stream()
                    .map(p -> TrainingExample.allTokens(model.tokenizer().encode(p))).toList();
            double[] loss = new double[2];
            TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(TRAIN_STEPS)
                    .batchSize(8).gradAccum(1).warmupRatio(0.05).seed(1).build();
            try (Trainer trainer = new Trainer(t, config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    loss[m.step() == 1 ? 0 : 1] = m.loss();
                }
            })) {
                trainer.train(examples, List.of(), tmp.resolve("run"), false);
            }
            assertEquals(Precision.F32, t.precision(), "the trainer computes in its config's precision");
            List<String[]> f32 = decode(model, prefixes, greedy);
            t.setPrecision(Precision.BF16);
            List<String[]> bf16 = decode(model, prefixes, greedy);

            int agree = 0;
            int positions = 0;
            int sameTexts = 0;
            for (int i = 0; i < prompts.size(); i++) {
                String[] a = f32.get(i);
                String[] b = bf16.get(i);
                int n = Math.max(a.length, b.length);
                for (int k = 0; k < n; k++) {
                    agree += k < a.length && k < b.length && a[k].equals(b[k]) ? 1 : 0;
                }
                positions += n;
                sameTexts += Arrays.equals(a, b) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "trained %d steps (loss %.3f -> %.3f); %d prompts: BF16 greedy equals F32 at %d of"
                    + " %d token positions (%.1f%%), identical continuations %d%n", TRAIN_STEPS, loss[0], loss[1],
                    prompts.size(), agree, positions, 100.0 * agree / positions, sameTexts);
            assertTrue(loss[1] < 0.5 * loss[0], "the model learned the prompts: loss " + loss[0] + " -> " + loss[1]);
            assertTrue(positions >= prompts.size() * NEW_TOKENS / 2, "decoded " + positions + " tokens");
            assertTrue(agree >= 0.9 * positions, "BF16 greedy decoding gave F32's token at " + agree + " of " + positions
                    + " positions (" + sameTexts + " of " + prompts.size() + " continuations identical)");
            assertEquals(Precision.BF16, t.precision());
            long[][] tokens = {model.tokenizer().encode(prompts.get(0))};
            float[] bf16Logits = Weights.logits(t, null, tokens);
            t.setPrecision(Precision.F32);
            assertFalse(Arrays.equals(Weights.logits(t, null, tokens), bf16Logits), "BF16 computes in BF16 (its logits differ)");
        }
    }

    /** The first prompts of each dataset, with a 4-word prefix no other prompt shares, and the greedy prompt. */
    private static List<String> prompts() {
        List<String> out = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        out.add(GREEDY_PROMPT);
        prefixes.add(prefix(GREEDY_PROMPT));
        for (String name : DATASETS) {
            int taken = 0;
            for (Behavior b : DatasetLoader.load(TestModels.shared().resolve("data").resolve(name)).behaviors()) {
                String p = b.prompt().strip();
                // One continuation per prefix: where two prompts share one, the next word is a coin
                // toss for any model, and BF16 against F32 would be measured on ties.
                if (taken < PER_DATASET && p.split("\\s+").length > PREFIX_WORDS + 2 && prefixes.add(prefix(p))) {
                    out.add(p);
                    taken++;
                }
            }
        }
        return out;
    }

    private static String prefix(String prompt) {
        return String.join(" ", Arrays.asList(prompt.split("\\s+")).subList(0, PREFIX_WORDS));
    }

    /** Each prefix's greedy continuation, as word tokens (the vocabulary is one token per word). */
    private static List<String[]> decode(LocalModel model, List<String> prefixes, SamplingParams greedy) {
        List<String[]> out = new ArrayList<>();
        for (List<Completion> c : new Generator(model, new Generator.Options(8)).complete(prefixes, greedy, 1)) {
            String text = c.get(0).text().strip();
            out.add(text.isEmpty() ? new String[0] : text.split("\\s+"));
        }
        return out;
    }
}
