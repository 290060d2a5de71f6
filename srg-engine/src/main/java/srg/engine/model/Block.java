package srg.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.EnumMap;
import java.util.Map;
import srg.engine.model.WeightLayout.Slot;

/**
 * The weights of one decoder layer, by {@link Slot}. q/k/v and gate/up are stored fused, one
 * matrix each, so a layer costs two matmuls fewer per step; {@link Transformer#namedTensors()}
 * splits them back into Hugging Face tensors when saving.
 */
final class Block {

    private final EnumMap<Slot, NDArray> arrays;

    /** {@code arrays} holds only what this config has (no q/k norms or biases where it has none). */
    Block(EnumMap<Slot, NDArray> arrays) {
        this.arrays = arrays;
    }

    /** The array in {@code slot}, or null where this config has none. */
    NDArray get(Slot slot) {
        return arrays.get(slot);
    }

    /** Every array of this block that exists, in {@link Slot} order. */
    Map<Slot, NDArray> arrays() {
        return arrays;
    }
}
