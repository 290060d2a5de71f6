package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import srg.engine.TestModels;

/**
 * The KV cache must not change the maths: decoding token by token gives the logits of one full
 * forward pass, and a left-padded batch gives the logits of each sequence alone.
 */
class ForwardConsistencyTest {

    private static final long[] SEQUENCE = {9, 400, 1200, 77, 5, 310, 2048, 15, 16, 999, 12, 3000};
    private static final int PROMPT = 5;

    @TempDir
    static Path dir;

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void incrementalDecodingMatchesFullForward(ModelFamily family) throws IOException {
        check(TestModels.tiny(family));
    }

    @Test
    void slidingWindowDecodingMatchesFullForward() throws IOException {
        // A window shorter than the sequence, so the window mask actually hides keys.
        ObjectNode overrides = new ObjectMapper().createObjectNode().put("sliding_window", 4);
        Path model = dir.resolve("mistral-window");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.MISTRAL, RandomCheckpoint.Preset.TINY,
                TestModels.tokenizerFor(ModelFamily.MISTRAL), 11).withOverrides(overrides), model);
        check(model);
    }

    @Test
    void slidingLayersMixedWithFullLayersDecodeAsAFullForward() throws IOException {
        // Qwen2's layout: layers from max_window_layers on slide, the others attend fully.
        ObjectNode overrides = new ObjectMapper().createObjectNode().put("use_sliding_window", true)
                .put("sliding_window", 4).put("max_window_layers", 1);
        Path model = dir.resolve("qwen2-mixed-windows");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN2, RandomCheckpoint.Preset.TINY,
                TestModels.tokenizerFor(ModelFamily.QWEN2), 13).withOverrides(overrides), model);
        check(model);
    }

    @Test
    void untiedOutputHeadDecodingMatchesFullForward() throws IOException {
        ObjectNode overrides = new ObjectMapper().createObjectNode().put("tie_word_embeddings", false);
        Path model = dir.resolve("llama-untied");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.LLAMA, RandomCheckpoint.Preset.TINY,
                TestModels.tokenizerFor(ModelFamily.LLAMA), 12).withOverrides(overrides), model);
        check(model);
    }

    private static void check(Path modelDir) throws IOException {
        try (Transformer model = ModelLoader.load(modelDir, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = SEQUENCE.length;
            float[] full = fullLogits(model, m, SEQUENCE, new int[] {0});
            int vocab = model.config().vocabSize();
            // Guard against a vacuous pass: different contexts must give visibly different logits.
            double spread = 0;
            for (int i = 0; i < vocab; i++) {
                spread = Math.max(spread, Math.abs(full[i] - full[(n - 1) * vocab + i]));
            }
            assertTrue(spread > 1e-2, "logits barely depend on context: " + spread);
            try (KvCache cache = new KvCache(m, model.config(), 1, n)) {
                long[] prompt = Arrays.copyOf(SEQUENCE, PROMPT);
                ForwardInputs in = ForwardInputs.build(m, model, new int[] {0}, 0, PROMPT);
                NDArray h = model.forward(m.create(prompt, new Shape(1, PROMPT)), in, cache, null, null);
                float[] prefill = model.logits(h).toFloatArray();
                assertClose(full, 0, prefill, 0, PROMPT * vocab, "prefill");
                for (int t = PROMPT; t < n; t++) {
                    ForwardInputs step = ForwardInputs.build(m, model, new int[] {0}, cache.length(), 1);
                    NDArray out = model.forward(m.create(new long[] {SEQUENCE[t]}, new Shape(1, 1)), step, cache, null,
                            null);
                    float[] logits = model.logits(out).toFloatArray();
                    assertClose(full, t * vocab, logits, 0, vocab, "step " + t);
                }
            }
            // Left padding: the same sequence behind three pad slots gives the same logits.
            long[] padded = new long[n + 3];
            System.arraycopy(SEQUENCE, 0, padded, 3, n);
            long[] both = new long[2 * (n + 3)];
            System.arraycopy(padded, 0, both, 0, n + 3);
            System.arraycopy(SEQUENCE, 0, both, n + 3, n);
            // Row 1 is SEQUENCE followed by 3 junk tokens: causal masking keeps them out of the first n.
            System.arraycopy(new long[] {1, 2, 3}, 0, both, 2 * n + 3, 3);
            float[] batched = fullLogits(model, m, both, new int[] {3, 0});
            assertClose(full, 0, batched, 3 * vocab, n * vocab, "left-padded row");
            assertClose(full, 0, batched, (n + 3) * vocab, n * vocab, "unpadded row");
        }
    }

    private static float[] fullLogits(Transformer model, NDManager m, long[] tokens, int[] pad) {
        int rows = pad.length;
        int len = tokens.length / rows;
        ForwardInputs in = ForwardInputs.build(m, model, pad, 0, len);
        NDArray h = model.forward(m.create(tokens, new Shape(rows, len)), in, null, null, null);
        return model.logits(h).toFloatArray();
    }

    private static void assertClose(float[] expected, int eOff, float[] actual, int aOff, int len, String what) {
        double worst = 0;
        for (int i = 0; i < len; i++) {
            worst = Math.max(worst, Math.abs(expected[eOff + i] - actual[aOff + i]));
        }
        assertTrue(worst <= 1e-4, what + ": max abs diff " + worst);
    }
}
