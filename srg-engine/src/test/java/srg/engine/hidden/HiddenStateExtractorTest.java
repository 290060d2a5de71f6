package srg.engine.hidden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.TestModels;
import srg.engine.model.ForwardInputs;
import srg.engine.model.ModelFamily;
import srg.engine.model.Transformer;
import srg.probe.HiddenStateBatch;

class HiddenStateExtractorTest {

    @Test
    void shapesAndLastTokenMatchAFullForwardPass() throws IOException {
        try (LocalModel model = LocalModel.load(TestModels.tiny(ModelFamily.LLAMA), Device.cpu())) {
            List<Conversation> convs = List.of(Conversation.user("short"),
                    Conversation.user("a much longer request that needs padding in a batch"), Conversation.user("mid size"));
            HiddenStateExtractor extractor = new HiddenStateExtractor("llama-tiny", model, 2);
            int[] layers = extractor.allLayers();
            HiddenStateBatch hs = extractor.extract(convs, layers);
            int hidden = model.transformer().config().hiddenSize();
            assertEquals(3, hs.rows());
            assertEquals(model.transformer().config().numLayers() + 1, hs.lastToken()[0].length);
            assertEquals(hidden, hs.lastToken()[0][0].length);

            // Reference: each conversation alone, no padding, residual stream read directly.
            for (int r = 0; r < convs.size(); r++) {
                long[] tokens = model.promptTokens(convs.get(r));
                float[][] expectedLast = new float[layers.length][];
                float[][] expectedMean = new float[layers.length][];
                Transformer t = model.transformer();
                try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    ForwardInputs in = ForwardInputs.build(m, t, new int[] {0}, 0, tokens.length);
                    int top = t.config().numLayers();
                    t.forward(m.create(tokens, new Shape(1, tokens.length)), in, null, null, (layer, residual) -> {
                        // The last layer is read after the final norm, as transformers reports it.
                        NDArray h = layer == top ? t.finalNorm(residual) : residual;
                        expectedLast[layer] = h.get(new NDIndex("0, -1, :")).toFloatArray();
                        expectedMean[layer] = h.get(new NDIndex("0")).mean(new int[] {0}).toFloatArray();
                    });
                }
                for (int l = 0; l < layers.length; l++) {
                    assertArrayEquals(expectedLast[l], hs.lastToken()[r][l], 1e-4f, "row " + r + " layer " + l);
                    assertArrayEquals(expectedMean[l], hs.meanPooled()[r][l], 1e-4f, "mean row " + r + " layer " + l);
                }
            }
            // A subset of layers keeps just those, in the order asked.
            HiddenStateBatch some = extractor.extract(convs, new int[] {2, 0});
            assertArrayEquals(hs.lastToken()[1][2], some.lastToken()[1][0], 0f);
            assertArrayEquals(hs.lastToken()[1][0], some.lastToken()[1][1], 0f);
            assertEquals(2, some.lastToken()[0].length);
        }
    }
}
