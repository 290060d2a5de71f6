package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences, preallocated to a fixed capacity and
 * written in place, so a decode step copies only the new token's keys instead of the whole
 * history. All rows share one length; left padding keeps them aligned.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private NDArray[] keys;
    private NDArray[] values;
    private final int capacity;
    private int length;
    private int pendingLength;

    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = manager.zeros(shape);
            values[i] = manager.zeros(shape);
        }
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int batch() {
        return (int) keys[0].getShape().get(0);
    }

    /**
     * Writes {@code k, v} ([B, kvHeads, T, d]) after the current length and returns views of all
     * keys and values so far. The length advances once every layer has appended ({@link #commit}).
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        int t = (int) k.getShape().get(2);
        int end = length + t;
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " > " + capacity);
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, end);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        pendingLength = end;
        NDIndex upTo = new NDIndex(":, :, :{}", end);
        NDArray keysSoFar = keys[layer].get(upTo);
        NDArray valuesSoFar = values[layer].get(upTo);
        // The views belong to this step, not to the cache: free them with the step's temporaries.
        keysSoFar.attach(k.getManager());
        valuesSoFar.attach(k.getManager());
        return new NDArray[] {keysSoFar, valuesSoFar};
    }

    /** Marks the tokens appended by the last forward pass as part of the cache. */
    void commit() {
        length = pendingLength;
    }

    /**
     * Keeps (and possibly repeats) rows: row i of the result is old row {@code rows[i]}. Used to
     * fan one prefilled prompt out to n samples and to drop finished samples.
     */
    public void selectRows(long[] rows) {
        NDArray index = manager.create(rows);
        for (int i = 0; i < keys.length; i++) {
            NDArray k = keys[i].get(index);
            NDArray v = values[i].get(index);
            keys[i].close();
            values[i].close();
            keys[i] = k;
            values[i] = v;
        }
        index.close();
    }

    @Override
    public void close() {
        manager.close();
    }
}
