package srg.engine.train;

import ai.djl.ndarray.NDArray;

/**
 * A tensor the optimizer updates.
 *
 * @param name a stable name (checkpoints store state under it)
 * @param decay whether weight decay applies (matrices yes; norms and biases no)
 */
public record TrainableParameter(String name, NDArray array, boolean decay) {}
