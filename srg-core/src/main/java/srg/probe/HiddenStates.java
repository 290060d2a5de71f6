package srg.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ejml.data.DMatrixRMaj;
import srg.UserError;

/**
 * The hidden states of one set for one model, memory-mapped from the store. Vectors are read on
 * demand; {@link #matrix} copies one layer and pooling into a matrix for the analyses.
 */
public final class HiddenStates {

    // One mapping is limited to 2 GiB; map whole rows in chunks of at most 1 GiB.
    private static final long CHUNK_BYTES = 1L << 30;

    private final HiddenStateIndex index;
    private final FloatBuffer[] chunks;
    private final int rowsPerChunk;
    private final int rowFloats;

    private HiddenStates(HiddenStateIndex index, FloatBuffer[] chunks, int rowsPerChunk) {
        this.index = index;
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.rowFloats = (int) (index.rowBytes() / Float.BYTES);
    }

    static HiddenStates map(Path data, HiddenStateIndex index) {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != index.dataBytes()) {
                throw new UserError(data + ": has " + size + " bytes, its index describes " + index.dataBytes()
                        + " (" + index.rows() + " rows x " + index.layers().size() + " layers x 2 poolings x "
                        + index.hiddenSize() + " floats)");
            }
            long rowBytes = index.rowBytes();
            int rowsPerChunk = (int) Math.max(1, CHUNK_BYTES / rowBytes);
            int n = (index.rows() + rowsPerChunk - 1) / rowsPerChunk;
            FloatBuffer[] chunks = new FloatBuffer[n];
            for (int c = 0; c < n; c++) {
                long first = (long) c * rowsPerChunk;
                long rows = Math.min(rowsPerChunk, index.rows() - first);
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, first * rowBytes, rows * rowBytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
            }
            return new HiddenStates(index, chunks, rowsPerChunk);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(data + ": missing, though its index " + data.getFileName().toString()
                    .replace(".f32", ".json") + " exists");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HiddenStateIndex index() {
        return index;
    }

    public int rows() {
        return index.rows();
    }

    public int hiddenSize() {
        return index.hiddenSize();
    }

    /** The position of layer index {@code layer} in this file's layer axis, or -1. */
    public int layerPosition(int layer) {
        return index.layers().indexOf(layer);
    }

    /** One vector: row {@code row}, the layer at position {@code layerPosition}, pooled by {@code pooling}. */
    public float[] vector(int row, int layerPosition, Pooling pooling) {
        float[] out = new float[hiddenSize()];
        read(row, layerPosition, pooling, out);
        return out;
    }

    /** All rows at layer index {@code layer} as a {@code rows x hidden} matrix. */
    public DMatrixRMaj matrix(int layer, Pooling pooling) {
        int pos = layerPosition(layer);
        if (pos < 0) {
            throw new UserError("set '" + index.set() + "' of model '" + index.model() + "' has no layer " + layer
                    + " (stored: " + index.layers() + ")");
        }
        int h = hiddenSize();
        DMatrixRMaj m = new DMatrixRMaj(rows(), h);
        float[] buf = new float[h];
        for (int r = 0; r < rows(); r++) {
            read(r, pos, pooling, buf);
            for (int j = 0; j < h; j++) {
                if (!Float.isFinite(buf[j])) {
                    // An overflowed half-precision forward pass, typically; no analysis survives it.
                    throw new UserError("set '" + index.set() + "' of model '" + index.model() + "': row " + r
                            + " (behavior " + index.behaviorIds().get(r) + ") has a non-finite value at layer " + layer
                            + ", " + pooling.key());
                }
                m.data[r * h + j] = buf[j];
            }
        }
        return m;
    }

    private void read(int row, int layerPosition, Pooling pooling, float[] out) {
        if (row < 0 || row >= rows() || layerPosition < 0 || layerPosition >= index.layers().size()) {
            throw new IndexOutOfBoundsException("row " + row + ", layer position " + layerPosition);
        }
        FloatBuffer chunk = chunks[row / rowsPerChunk];
        int offset = (row % rowsPerChunk) * rowFloats + (layerPosition * 2 + pooling.slot()) * hiddenSize();
        chunk.get(offset, out, 0, hiddenSize());
    }
}
