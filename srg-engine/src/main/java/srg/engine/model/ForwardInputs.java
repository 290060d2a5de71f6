package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Rotary tables and attention masks for one forward pass over a left-padded batch.
 *
 * <p>Row b has {@code padLeft[b]} padding slots before its first real token, so its cache index j
 * holds position {@code j - padLeft[b]}. A query may see a key when the key is real, not in its
 * future, and (in a sliding-window layer) fewer than {@code window} positions behind it. Layers
 * with the same window share one mask.
 *
 * @param cos rotary cos table [B, 1, T, d]
 * @param sin rotary sin table [B, 1, T, d]
 * @param layerMasks each layer's additive mask [B, 1, 1, T, past+T], or null where it would hide
 *     nothing (a single unpadded query whose window covers every key)
 */
public record ForwardInputs(NDArray cos, NDArray sin, NDArray[] layerMasks) {

    /** Added to the scores of hidden keys. Finite, so a query with no visible key yields no NaN. */
    static final float HIDDEN = -1e30f;

    /** The mask of {@code layer}, or null. */
    public NDArray mask(int layer) {
        return layerMasks[layer];
    }

    /**
     * The inputs for {@code steps} new tokens per row after {@code past} cached ones, in
     * {@code manager}.
     */
    public static ForwardInputs build(NDManager manager, Transformer model, int[] padLeft, int past, int steps) {
        int batch = padLeft.length;
        int[][] positions = new int[batch][steps];
        boolean padded = false;
        for (int b = 0; b < batch; b++) {
            padded |= padLeft[b] > 0;
            for (int t = 0; t < steps; t++) {
                positions[b][t] = Math.max(0, past + t - padLeft[b]);
            }
        }
        NDArray[] cosSin = model.rotary().tables(manager, positions);
        int keys = past + steps;
        ModelConfig config = model.config();
        NDArray[] masks = new NDArray[config.numLayers()];
        Map<Integer, NDArray> byWindow = new HashMap<>();
        for (int layer = 0; layer < masks.length; layer++) {
            int window = config.window(layer);
            boolean windowBites = window > 0 && keys > window;
            if (steps > 1 || padded || windowBites) {
                masks[layer] = byWindow.computeIfAbsent(window, w -> manager.create(
                        FloatBuffer.wrap(maskValues(padLeft, past, steps, w)), new Shape(batch, 1, 1, steps, keys)));
            }
        }
        return new ForwardInputs(cosSin[0], cosSin[1], masks);
    }

    /** The additive mask [B][T][past+T], flattened. */
    static float[] maskValues(int[] padLeft, int past, int steps, int window) {
        int keys = past + steps;
        float[] m = new float[padLeft.length * steps * keys];
        for (int b = 0; b < padLeft.length; b++) {
            for (int t = 0; t < steps; t++) {
                int query = past + t;
                int base = (b * steps + t) * keys;
                for (int j = 0; j < keys; j++) {
                    boolean visible = j >= padLeft[b] && j <= query && (window <= 0 || query - j < window);
                    m[base + j] = visible ? 0f : HIDDEN;
                }
            }
        }
        return m;
    }
}
