package srg.engine.hidden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import srg.SettingError;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.model.ForwardInputs;
import srg.engine.model.Transformer;
import srg.probe.HiddenStateBatch;
import srg.probe.HiddenStateSource;

/**
 * Reads the residual stream of an in-process model for a set of conversations, rendered with
 * the generation prompt as they would be sent for an answer. Conversations run in left-padded
 * batches; each layer's state is reduced to its last-token and mean-pooled vectors on the device
 * before it is copied out, so memory stays at one batch.
 *
 * <p>Layers follow transformers' {@code output_hidden_states}: 0 is the embedding output, i the
 * output of block i, and the last one is taken after the final norm.
 */
public final class HiddenStateExtractor implements HiddenStateSource {

    private final String id;
    private final LocalModel model;
    private final int batchSize;
    private final boolean ownsModel;

    /** An extractor over a model the caller keeps (and closes). */
    public HiddenStateExtractor(String id, LocalModel model, int batchSize) {
        this(id, model, batchSize, false);
    }

    private HiddenStateExtractor(String id, LocalModel model, int batchSize, boolean ownsModel) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        this.id = id;
        this.model = model;
        this.batchSize = batchSize;
        this.ownsModel = ownsModel;
    }

    /** An extractor that closes the model when it is closed. */
    public static HiddenStateExtractor owning(String id, LocalModel model, int batchSize) {
        return new HiddenStateExtractor(id, model, batchSize, true);
    }

    @Override
    public void close() {
        if (ownsModel) {
            model.close();
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** The transformer's matmul format as it is now: f32 or bf16. */
    @Override
    public String numerics() {
        return model.transformer().precision().setting();
    }

    @Override
    public int numLayers() {
        return model.transformer().config().numLayers();
    }

    @Override
    public int hiddenSize() {
        return model.transformer().config().hiddenSize();
    }

    /** Every layer: 0 (embeddings) .. numLayers. */
    public int[] allLayers() {
        int[] all = new int[numLayers() + 1];
        Arrays.setAll(all, i -> i);
        return all;
    }

    @Override
    public HiddenStateBatch extract(List<Conversation> conversations, int[] layers) {
        int maxLayer = numLayers();
        int[] slot = new int[maxLayer + 1];
        Arrays.fill(slot, -1);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 0 || layers[i] > maxLayer) {
                throw SettingError.of("layers", "layer " + layers[i] + " is out of range (0.." + maxLayer
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
        }
        return new HiddenStateBatch(last, mean);
    }

    private void runBatch(List<Conversation> batch, int offset, int kept, int[] slot, float[][][] last, float[][][] mean) {
        Transformer transformer = model.transformer();
        int hidden = hiddenSize();
        int finalLayer = numLayers();
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
            ForwardInputs in = ForwardInputs.build(scope, transformer, pad, 0, longest);
            transformer.forward(input, in, null, null, (layer, residual) -> {
                if (slot[layer] < 0) {
                    return;
                }
                NDArray h = layer == finalLayer ? transformer.finalNorm(residual) : residual;
                float[] lastTok = h.get(new NDIndex(":, -1, :")).toFloatArray();
                float[] pooled = h.mul(validMask).sum(new int[] {1}).div(counts).toFloatArray();
                for (int i = 0; i < b; i++) {
                    last[offset + i][slot[layer]] = Arrays.copyOfRange(lastTok, i * hidden, (i + 1) * hidden);
                    mean[offset + i][slot[layer]] = Arrays.copyOfRange(pooled, i * hidden, (i + 1) * hidden);
                }
            });
        }
    }
}
