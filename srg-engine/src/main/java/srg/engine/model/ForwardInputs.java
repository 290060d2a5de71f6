package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Positions, rotary tables and the attention mask for one forward pass over a left-padded batch.
 *
 * <p>Row b has {@code padLeft[b]} padding slots before its first real token, so its cache index j
 * holds position {@code j - padLeft[b]}. A query may see a key when the key is real, not in its
 * future, and (with a sliding window) fewer than {@code window} positions behind it.
 */
public final class ForwardInputs {

    /** Added to the scores of hidden keys. Finite, so a query with no visible key yields no NaN. */
    static final float HIDDEN = -1e30f;

    private ForwardInputs() {}

    /** The tables and mask as NDArrays: {cos, sin, mask-or-null}. */
    public static NDArray[] build(NDManager manager, Rotary rotary, int[] padLeft, int past, int steps, int window) {
        int batch = padLeft.length;
        int[][] positions = new int[batch][steps];
        boolean padded = false;
        for (int b = 0; b < batch; b++) {
            padded |= padLeft[b] > 0;
            for (int t = 0; t < steps; t++) {
                positions[b][t] = Math.max(0, past + t - padLeft[b]);
            }
        }
        NDArray[] cosSin = rotary.tables(manager, positions);
        int keys = past + steps;
        boolean windowBites = window > 0 && keys > window;
        NDArray mask = null;
        if (steps > 1 || padded || windowBites) {
            mask = manager.create(FloatBuffer.wrap(mask(padLeft, past, steps, window)),
                    new Shape(batch, 1, 1, steps, keys));
        }
        return new NDArray[] {cosSin[0], cosSin[1], mask};
    }

    /** The additive mask [B][T][past+T], flattened. */
    static float[] mask(int[] padLeft, int past, int steps, int window) {
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
