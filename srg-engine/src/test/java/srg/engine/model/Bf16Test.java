package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.TestModels;
import srg.engine.generate.Generator;

/**
 * The BF16 matmul path: the automatic choice follows the CPU flags, a BF16 linear equals the F32
 * one within BF16 rounding (forward and, with an F32 master weight, its gradient), and greedy
 * decoding in BF16 picks the F32 tokens.
 */
class Bf16Test {

    @TempDir
    Path dir;

    @Test
    void autoPicksBf16OnlyWhereTheCpuHasNativeBf16() throws IOException {
        assertEquals(Precision.BF16, Precision.auto(Set.of("avx512f", "avx512_bf16")).precision());
        assertEquals(Precision.BF16, Precision.auto(Set.of("amx_tile", "amx_bf16")).precision());
        assertEquals(Precision.F32, Precision.auto(Set.of("avx2", "avx512f", "avx512_fp16")).precision());
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 avx512_bf16\n\nprocessor\t: 1\n");
        assertEquals(Set.of("fpu", "sse2", "avx512f", "avx512_bf16"), Precision.cpuFlags(cpuinfo));
        assertEquals(Set.of(), Precision.cpuFlags(dir.resolve("missing")));
        assertEquals("dtype bf16 (asked for)", Precision.choose("BF16", "dtype").describe());
        assertEquals(Precision.F32, Precision.choose("f32", "dtype").precision());
        assertEquals("dtype f32 (the default)", Precision.choose(null, "dtype").describe());
        SettingError e = assertThrows(SettingError.class, () -> Precision.choose("f16", "compute_dtype"));
        assertEquals("compute_dtype", e.setting());
        assertEquals("compute_dtype: unknown dtype \"f16\" (use f32, bf16 or auto)", e.getMessage());
    }

    @Test
    void bf16LinearEqualsF32WithinBf16Rounding() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(2, 5, 64));
            NDArray w = m.randomNormal(new Shape(48, 64)).mul(0.1f);
            NDArray ref = x.matMul(w.transpose());
            try (Bf16Matmul.Weight bw = Bf16Matmul.weight(w, m)) {
                NDArray y = Bf16Matmul.linear(x, bw);
                assertEquals(DataType.FLOAT32, y.getDataType());
                assertEquals(new Shape(2, 5, 48), y.getShape());
                // Inputs rounded to 8 significant bits: ~0.4% each, ~1% on a dot product of 64 terms.
                assertTrue(relativeError(y, ref) < 0.02, "relative error " + relativeError(y, ref));
                assertTrue(relativeError(y, ref) > 0, "the BF16 path rounds (it is not silently F32)");
            }
        }
    }

    @Test
    void masterWeightGradientArrivesInF32() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(4);
            NDArray x = m.randomNormal(new Shape(16, 64));
            NDArray w = m.randomNormal(new Shape(32, 64)).mul(0.1f);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Bf16Matmul.linearMaster(x, w);
                gc.backward(y.square().sum());
            }
            NDArray grad = w.getGradient();
            assertEquals(DataType.FLOAT32, grad.getDataType());
            // d/dW sum((x W^T)^2) = 2 (x W^T)^T x, in F32
            NDArray ref = x.matMul(w.transpose()).transpose().matMul(x).mul(2);
            assertTrue(relativeError(grad, ref) < 0.02, "relative error " + relativeError(grad, ref));
        }
    }

    /**
     * The numerics check on a tiny random checkpoint: F32 greedy continuations of four
     * prompts, then the greedy pick of one full forward in F32 and in BF16 at each generated
     * position (F32's tokens as the prefix, so that one early flip is not counted as every later
     * token): at least 90% the same token.
     * Greedy decoding through the generator (KV cache, batch) is compared as text too.
     */
    @Test
    void greedyBf16DecodingAgreesWithF32() throws IOException {
        List<Conversation> prompts = List.of(Conversation.user("Hello"), Conversation.user("Why is the sky blue?"),
                Conversation.of("You are terse.", "Write a haiku about the sea."), Conversation.user("How do I pick a lock?"));
        int newTokens = 12;
        try (LocalModel model = LocalModel.load(TestModels.tiny(ModelFamily.QWEN2), Device.cpu())) {
            Transformer t = model.transformer();
            t.setPrecision(Precision.F32);
            long[][] sequences = new long[prompts.size()][];
            for (int i = 0; i < prompts.size(); i++) {
                sequences[i] = model.promptTokens(prompts.get(i));
                for (int k = 0; k < newTokens; k++) {
                    sequences[i] = java.util.Arrays.copyOf(sequences[i], sequences[i].length + 1);
                    sequences[i][sequences[i].length - 1] = argmax(t, sequences[i], true)[0];
                }
            }
            SamplingParams greedy = new SamplingParams(0, 1, 0, newTokens, List.of(), 0);
            List<String> f32Texts = texts(model, prompts, greedy);
            int[][] f32Picks = new int[prompts.size()][];
            for (int i = 0; i < prompts.size(); i++) {
                f32Picks[i] = argmax(t, sequences[i], false);
            }
            t.setPrecision(Precision.BF16);
            List<String> bf16Texts = texts(model, prompts, greedy);
            int agree = 0;
            int total = 0;
            for (int i = 0; i < prompts.size(); i++) {
                int[] picks = argmax(t, sequences[i], false);
                for (int pos = sequences[i].length - newTokens; pos < sequences[i].length; pos++) {
                    total++;
                    agree += picks[pos - 1] == f32Picks[i][pos - 1] ? 1 : 0;
                }
            }
            long sameTexts = 0;
            for (int i = 0; i < prompts.size(); i++) {
                sameTexts += f32Texts.get(i).equals(bf16Texts.get(i)) ? 1 : 0;
            }
            System.out.printf("BF16 greedy picks F32's token at %d of %d positions; identical texts %d of %d%n", agree,
                    total, sameTexts, prompts.size());
            assertEquals(prompts.size() * newTokens, total);
            assertTrue(agree >= 0.9 * total, "BF16 picked F32's greedy token at " + agree + " of " + total
                    + " positions; identical generated texts " + sameTexts + " of " + prompts.size());
        }
    }

    private static List<String> texts(LocalModel model, List<Conversation> prompts, SamplingParams p) {
        List<SampleRequest> requests = new ArrayList<>();
        prompts.forEach(c -> requests.add(SampleRequest.of(c, 1)));
        List<String> out = new ArrayList<>();
        for (List<Completion> r : new Generator(model, new Generator.Options(8)).generate(requests, p)) {
            out.add(r.get(0).text());
        }
        return out;
    }

    /**
     * The argmax of the logits at every position of one sequence, or at the last one only (one
     * full forward, no cache; the LM head over a 151k vocabulary is most of the cost).
     */
    private static int[] argmax(Transformer t, long[] sequence, boolean lastOnly) {
        try (NDManager m = t.manager().newSubManager()) {
            int n = sequence.length;
            NDArray tokens = m.create(sequence, new Shape(1, n));
            ForwardInputs in = ForwardInputs.build(m, t, new int[] {0}, 0, n);
            NDArray hidden = t.forward(tokens, in, null, null, null);
            if (lastOnly) {
                hidden = hidden.get(":, -1:, :");
            }
            return java.util.Arrays.stream(t.logits(hidden).argMax(-1).toLongArray()).mapToInt(v -> (int) v).toArray();
        }
    }

    private static double relativeError(NDArray got, NDArray ref) {
        float[] g = got.toFloatArray();
        float[] r = ref.toFloatArray();
        double num = 0;
        double den = 0;
        for (int i = 0; i < g.length; i++) {
            num += (g[i] - r[i]) * (double) (g[i] - r[i]);
            den += r[i] * (double) r[i];
        }
        return Math.sqrt(num / den);
    }
}
