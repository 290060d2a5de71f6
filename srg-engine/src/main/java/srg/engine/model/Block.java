package srg.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of one decoder layer. q/k/v and gate/up are stored fused, one matrix each, so a
 * layer costs two matmuls fewer per step; {@link Transformer#namedTensors()} splits them back into
 * Hugging Face tensors when saving.
 */
final class Block {
    final NDArray inputNorm;
    final NDArray qkv;
    final NDArray qkvBias;
    final NDArray qNorm;
    final NDArray kNorm;
    final NDArray o;
    final NDArray oBias;
    final NDArray postNorm;
    final NDArray gateUp;
    final NDArray gateUpBias;
    final NDArray down;
    final NDArray downBias;

    Block(NDArray inputNorm, NDArray qkv, NDArray qkvBias, NDArray qNorm, NDArray kNorm, NDArray o,
            NDArray oBias, NDArray postNorm, NDArray gateUp, NDArray gateUpBias, NDArray down, NDArray downBias) {
        this.inputNorm = inputNorm;
        this.qkv = qkv;
        this.qkvBias = qkvBias;
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.o = o;
        this.oBias = oBias;
        this.postNorm = postNorm;
        this.gateUp = gateUp;
        this.gateUpBias = gateUpBias;
        this.down = down;
        this.downBias = downBias;
    }

    /** Every array of this block that exists, in a fixed order (for optimisers and checksums). */
    List<NDArray> arrays() {
        List<NDArray> out = new ArrayList<>();
        for (NDArray a : new NDArray[] {inputNorm, qkv, qkvBias, qNorm, kNorm, o, oBias, postNorm, gateUp,
                gateUpBias, down, downBias}) {
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }
}
