package srg.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Extra low-rank terms added to projection outputs (LoRA). The transformer asks for each
 * projection's delta and adds it; it knows nothing of ranks, scaling or dropout.
 */
public interface Adapters {

    /**
     * The delta to add to projection {@code p} of {@code layer} for input {@code x}
     * ([..., in]), shaped [..., out]; or null when that projection has no adapter.
     */
    NDArray delta(int layer, Projection p, NDArray x);
}
