package srg.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.Set;

/**
 * Keeps some rows of a trainable matrix where they are: their gradient is zeroed before the
 * optimizer sees it (so clipping and Adam's moments ignore them and Adam moves them by exactly 0),
 * and, where weight decay applies, their values are written back after each update, since
 * decoupled decay shrinks a row whatever its gradient.
 */
final class RowFreeze implements AutoCloseable {

    private final NDArray weight;
    private final NDManager manager;
    private final NDArray trains; // [rows, 1]: 1 for a row that trains, 0 for a frozen one
    private final NDArray frozenValues; // [rows, cols]: the frozen rows' values, 0 elsewhere; null without decay

    /**
     * @param weight a [rows, cols] matrix (an embedding or LM head: one row per token)
     * @param frozenRows the rows to keep; ids past the matrix (tokens it has no row for) are ignored
     * @param decays whether weight decay applies to {@code weight}
     */
    RowFreeze(NDArray weight, Set<Integer> frozenRows, boolean decays) {
        this.weight = weight;
        this.manager = weight.getManager().newSubManager();
        int rows = Math.toIntExact(weight.getShape().get(0));
        float[] mask = new float[rows];
        Arrays.fill(mask, 1f);
        for (int id : frozenRows) {
            if (id >= 0 && id < rows) {
                mask[id] = 0f;
            }
        }
        this.trains = manager.create(mask).reshape(rows, 1);
        if (decays) {
            NDArray frozen = trains.neg().add(1f);
            this.frozenValues = weight.mul(frozen);
            frozenValues.attach(manager);
            frozen.close();
        } else {
            this.frozenValues = null;
        }
    }

    /** Zeroes the frozen rows' gradient, in place; call after the backward passes of a step. */
    void maskGradient() {
        try (NDArray grad = weight.getGradient()) {
            grad.muli(trains);
        }
    }

    /** Writes the frozen rows back after an update that may have decayed them. */
    void restore() {
        if (frozenValues == null) {
            return;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray trained = weight.mul(trains);
            trained.attach(scope); // made in the weight's manager, which lives as long as the model
            NDArray kept = trained.add(frozenValues);
            kept.attach(scope);
            weight.set(new NDIndex("..."), kept);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
