package srg.engine.hidden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import srg.UserError;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.model.ForwardInputs;
import srg.engine.model.Transformer;

/**
 * Reads the residual stream of a model for a set of conversations, rendered with the generation
 * prompt as they would be sent for an answer. Conversations run in left-padded batches; each
 * layer's state is reduced to last-token and mean-pooled vectors on the device before it is copied
 * out, so memory stays at one batch.
 */
public final class HiddenStateExtractor {

    private final LocalModel model;
    private final int batchSize;

    public HiddenStateExtractor(LocalModel model, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        this.model = model;
        this.batchSize = batchSize;
    }

    /** Every layer: 0 (embeddings) .. numLayers. */
    public int[] allLayers() {
        int[] all = new int[model.transformer().config().numLayers() + 1];
        Arrays.setAll(all, i -> i);
        return all;
    }

    public HiddenStates extract(List<Conversation> conversations, int[] layers) {
        return extract(conversations, layers, n -> { });
    }

    /** Extracts the chosen layers; {@code onRows} hears how many rows each batch finished. */
    public HiddenStates extract(List<Conversation> conversations, int[] layers, IntConsumer onRows) {
        int maxLayer = model.transformer().config().numLayers();
        int[] slot = new int[maxLayer + 1];
        Arrays.fill(slot, -1);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 0 || layers[i] > maxLayer) {
                throw new UserError("--layers: layer " + layers[i] + " is out of range (0.." + maxLayer
                        + "; 0 is the embedding output)");
            }
            slot[layers[i]] = i;
        }
        int rows = conversations.size();
        float[][][] last = new float[rows][][];
        float[][][] mean = new float[rows][][];
        for (int from = 0; from < rows; from += batchSize) {
            int to = Math.min(rows, from + batchSize);
            runBatch(conversations.subList(from, to), from, layers.length, slot, last, mean);
            onRows.accept(to - from);
        }
        return new HiddenStates(layers.clone(), last, mean);
    }

    private void runBatch(List<Conversation> batch, int offset, int kept, int[] slot, float[][][] last, float[][][] mean) {
        Transformer transformer = model.transformer();
        int hidden = transformer.config().hiddenSize();
        long[][] prompts = new long[batch.size()][];
        int longest = 0;
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = model.promptTokens(batch.get(i));
            longest = Math.max(longest, prompts[i].length);
        }
        int[] pad = new int[prompts.length];
        long[] tokens = new long[prompts.length * longest];
        float[] valid = new float[prompts.length * longest];
        for (int i = 0; i < prompts.length; i++) {
            pad[i] = longest - prompts[i].length;
            System.arraycopy(prompts[i], 0, tokens, i * longest + pad[i], prompts[i].length);
            Arrays.fill(valid, i * longest + pad[i], (i + 1) * longest, 1f);
            last[offset + i] = new float[kept][];
            mean[offset + i] = new float[kept][];
        }
        int b = prompts.length;
        try (NDManager scope = transformer.manager().newSubManager()) {
            NDArray input = scope.create(tokens, new Shape(b, longest));
            NDArray validMask = scope.create(valid, new Shape(b, longest, 1));
            NDArray counts = validMask.sum(new int[] {1});
            NDArray[] in = ForwardInputs.build(scope, transformer.rotary(), pad, 0, longest,
                    transformer.config().slidingWindow());
            int top = maxKept(slot);
            transformer.forward(input, in[0], in[1], in[2], null, null, (layer, h) -> {
                if (layer > top || slot[layer] < 0) {
                    return;
                }
                float[] lastTok = h.get(new NDIndex(":, -1, :")).toFloatArray();
                float[] pooled = h.mul(validMask).sum(new int[] {1}).div(counts).toFloatArray();
                for (int i = 0; i < b; i++) {
                    last[offset + i][slot[layer]] = Arrays.copyOfRange(lastTok, i * hidden, (i + 1) * hidden);
                    mean[offset + i][slot[layer]] = Arrays.copyOfRange(pooled, i * hidden, (i + 1) * hidden);
                }
            });
        }
    }

    private static int maxKept(int[] slot) {
        for (int i = slot.length - 1; i >= 0; i--) {
            if (slot[i] >= 0) {
                return i;
            }
        }
        return -1;
    }
}
