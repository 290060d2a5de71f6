package srg.engine.train;

import ai.djl.ndarray.NDArray;

/**
 * A tensor the optimizer updates.
 *
 * @param name a stable name (checkpoints store state under it)
 * @param decay whether weight decay applies (matrices yes; norms and biases no)
 * @param anchored whether the optimizer's anchor decay pulls it back towards its starting value
 */
public record TrainableParameter(String name, NDArray array, boolean decay, boolean anchored) {

    /** A parameter the anchor decay holds, if there is one. */
    public TrainableParameter(String name, NDArray array, boolean decay) {
        this(name, array, decay, true);
    }
}
