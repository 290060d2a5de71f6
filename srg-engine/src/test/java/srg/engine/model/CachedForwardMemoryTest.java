package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.TestModels;

/**
 * A forward pass with a KV cache (generation) frees each block's temporaries when the block is
 * done, so that a long prefill does not hold every block's at once: what it leaves in the
 * caller's manager does not grow with the number of layers.
 */
class CachedForwardMemoryTest {

    @TempDir
    static Path dir;

    @Test
    void aCachedForwardLeavesNoPerBlockTemporariesBehind() throws IOException {
        int shallow = leftBehind(2);
        int deep = leftBehind(6);
        assertEquals(shallow, deep, "arrays left in the caller's manager by 2 and by 6 layers");
        assertTrue(deep < 16, "only the output and the final norm's temporaries remain: " + deep);
    }

    /** Arrays a prefill of 3 rows x 7 tokens adds to the caller's manager, with {@code layers} blocks. */
    private static int leftBehind(int layers) throws IOException {
        Path model = dir.resolve("qwen3-" + layers + "-layers");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN3, RandomCheckpoint.Preset.TINY,
                TestModels.tokenizerFor(ModelFamily.QWEN3), 5)
                .withOverrides(new ObjectMapper().createObjectNode().put("num_hidden_layers", layers)), model);
        try (Transformer transformer = ModelLoader.load(model, Device.cpu());
                NDManager other = NDManager.newBaseManager(Device.cpu());
                KvCache cache = new KvCache(other, transformer.config(), 3, 16);
                NDManager step = NDManager.newBaseManager(Device.cpu())) {
            NDArray tokens = step.create(new long[] {9, 400, 1200, 77, 5, 310, 2048, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14},
                    new Shape(3, 7));
            ForwardInputs in = ForwardInputs.build(step, transformer, new int[] {0, 2, 0}, 0, 7);
            int before = step.getManagedArrays().size();
            NDArray hidden = transformer.forward(tokens, in, cache, null, null);
            assertEquals(new Shape(3, 7, transformer.config().hiddenSize()), hidden.getShape());
            assertEquals(7, cache.length());
            return step.getManagedArrays().size() - before;
        }
    }
}
