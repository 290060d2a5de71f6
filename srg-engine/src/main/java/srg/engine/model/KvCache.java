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
    private int capacity;
    private int length;
    private int pendingLength;

    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity) {
        this(parent, config, batch, capacity, true);
    }

    /**
     * A cache whose positions hold whatever the allocator left there until they are written. For a
     * prefill, which writes every position up to its length before attention reads it; positions
     * beyond the length are always written before they are read. Zeroing a batch-sized cache costs
     * about as much as filling it.
     */
    public static KvCache unfilled(NDManager parent, ModelConfig config, int batch, int capacity) {
        return new KvCache(parent, config, batch, capacity, false);
    }

    private KvCache(NDManager parent, ModelConfig config, int batch, int capacity, boolean zeroed) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = zeroed ? manager.zeros(shape) : manager.create(shape);
            values[i] = zeroed ? manager.zeros(shape) : manager.create(shape);
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
        selectRows(rows, 0);
    }

    /**
     * Keeps rows as {@link #selectRows(long[])} does and drops the first {@code drop} positions,
     * which must be padding in every kept row (the caller lowers each row's left padding by
     * {@code drop}). Rows that joined a batch late carry long padding; once the rows that needed
     * those positions have left, attention need not read them any more.
     */
    public void selectRows(long[] rows, int drop) {
        if (drop < 0 || drop > length) {
            throw new IllegalArgumentException("cannot drop " + drop + " of " + length + " positions");
        }
        NDArray index = manager.create(rows);
        NDIndex kept = new NDIndex(":, :, {}:", drop);
        for (int i = 0; i < keys.length; i++) {
            NDArray k = gather(keys[i], kept, index, drop);
            NDArray v = gather(values[i], kept, index, drop);
            keys[i].close();
            values[i].close();
            keys[i] = k;
            values[i] = v;
        }
        index.close();
        length -= drop;
        pendingLength = length;
        capacity -= drop;
    }

    private static NDArray gather(NDArray array, NDIndex kept, NDArray rows, int drop) {
        if (drop == 0) {
            return array.get(rows);
        }
        try (NDArray view = array.get(kept)) {
            return view.get(rows);
        }
    }

    /**
     * A cache holding the rows of {@code a} then those of {@code b}, right-aligned at the longer
     * length so that every row's next token lands in the same slot: a row of the shorter cache gets
     * that many more padding positions on its left. The first {@code drop} positions of the
     * aligned layout, padding in every row, are left out. Either cache may be null. The inputs are
     * not closed.
     *
     * @param capacity positions to allocate; at least the new length, {@code max(lengths) - drop}
     */
    public static KvCache concat(NDManager parent, ModelConfig config, KvCache a, KvCache b, int drop, int capacity) {
        int length = Math.max(a == null ? 0 : a.length, b == null ? 0 : b.length);
        int batch = (a == null ? 0 : a.batch()) + (b == null ? 0 : b.batch());
        if (drop < 0 || drop > length || capacity < length - drop) {
            throw new IllegalArgumentException("bad concat: length " + length + ", drop " + drop + ", capacity " + capacity);
        }
        KvCache out = unfilled(parent, config, batch, capacity);
        int row = 0;
        for (KvCache source : new KvCache[] {a, b}) {
            if (source == null) {
                continue;
            }
            int shift = length - source.length; // padding added on the left of this source's rows
            int from = Math.max(0, drop - shift); // first source position that survives the drop
            int to = from + shift - drop;
            int copied = Math.max(0, source.length - from);
            if (copied > 0) {
                NDIndex src = new NDIndex(":, :, {}:{}", from, source.length);
                NDIndex dst = new NDIndex("{}:{}, :, {}:{}", row, row + source.batch(), to, to + copied);
                for (int i = 0; i < out.keys.length; i++) {
                    try (NDArray k = source.keys[i].get(src); NDArray v = source.values[i].get(src)) {
                        out.keys[i].set(dst, k);
                        out.values[i].set(dst, v);
                    }
                }
            }
            // The new left padding is read (and masked) by attention: it must be finite, so zero.
            int padding = copied > 0 ? to : length - drop;
            if (padding > 0) {
                NDIndex pad = new NDIndex("{}:{}, :, 0:{}", row, row + source.batch(), padding);
                for (int i = 0; i < out.keys.length; i++) {
                    out.keys[i].set(pad, 0f);
                    out.values[i].set(pad, 0f);
                }
            }
            row += source.batch();
        }
        out.length = length - drop;
        out.pendingLength = out.length;
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
