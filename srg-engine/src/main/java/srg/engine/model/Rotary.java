package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Rotary position embedding tables, computed in Java for exactly the positions of a batch. Rows
 * of a left-padded batch have different positions at the same index, so per-row tables are
 * simpler and cheaper than gathering from a device table.
 */
public final class Rotary {

    private final int headDim;
    private final float[] invFreq;

    public Rotary(ModelConfig config) {
        this.headDim = config.headDim();
        double[] inv = config.rope().inverseFrequencies(headDim);
        this.invFreq = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            // Hugging Face keeps inv_freq in float32; so do we, so angles match.
            invFreq[i] = (float) inv[i];
        }
    }

    /**
     * cos and sin for {@code positions[b][t]}, each shaped [B, 1, T, headDim] (halves duplicated,
     * matching the rotate-half convention of Hugging Face Llama/Qwen weights).
     */
    public NDArray[] tables(NDManager manager, int[][] positions) {
        int batch = positions.length;
        int steps = positions[0].length;
        int half = headDim / 2;
        float[] cos = new float[batch * steps * headDim];
        float[] sin = new float[cos.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int base = (b * steps + t) * headDim;
                float pos = positions[b][t];
                for (int i = 0; i < half; i++) {
                    float angle = pos * invFreq[i];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[base + i] = c;
                    cos[base + half + i] = c;
                    sin[base + i] = s;
                    sin[base + half + i] = s;
                }
            }
        }
        Shape shape = new Shape(batch, 1, steps, headDim);
        return new NDArray[] {manager.create(FloatBuffer.wrap(cos), shape), manager.create(FloatBuffer.wrap(sin), shape)};
    }
}
