package srg.engine.safetensors;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads tensor data into F32 buffers by memory-mapping the file one window at a time, so files
 * (and tensors) over 2 GB work, and unmapping each window at once so a 2 GB checkpoint does not
 * stay resident twice. BF16 and F16 are widened in Java.
 */
public final class TensorReader {

    /** Window size; a multiple of 4 so no element straddles two windows. */
    private static final long WINDOW = 1L << 28;

    private TensorReader() {}

    /** Fills {@code dst} (from its position) with the tensor's values as F32. */
    public static void readInto(TensorInfo t, FloatBuffer dst) throws IOException {
        if (dst.remaining() < t.elementCount()) {
            throw new IllegalArgumentException("buffer too small for " + t.name());
        }
        try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            long done = 0;
            while (done < t.byteLength()) {
                long len = Math.min(WINDOW, t.byteLength() - done);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, t.dataStart() + done, len);
                map.order(ByteOrder.LITTLE_ENDIAN);
                try {
                    switch (t.dtype()) {
                        case F32 -> dst.put(map.asFloatBuffer());
                        case BF16 -> {
                            ShortBuffer s = map.asShortBuffer();
                            while (s.hasRemaining()) {
                                dst.put(Halfs.bf16ToFloat(s.get()));
                            }
                        }
                        case F16 -> {
                            ShortBuffer s = map.asShortBuffer();
                            while (s.hasRemaining()) {
                                dst.put(Halfs.f16ToFloat(s.get()));
                            }
                        }
                    }
                } finally {
                    Unmapper.unmap(map);
                }
                done += len;
            }
        }
    }

    /** Reads a whole tensor into a heap array (tests and small tensors). */
    public static float[] read(TensorInfo t) throws IOException {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        readInto(t, FloatBuffer.wrap(out));
        return out;
    }

    /**
     * Releases a mapping now instead of at some later GC. Java 17 has no public API for it; the
     * JDK's own sun.misc.Unsafe.invokeCleaner is the supported escape hatch (module jdk.unsupported).
     */
    private static final class Unmapper {
        private static final sun.misc.Unsafe UNSAFE = find();

        private static sun.misc.Unsafe find() {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // fall back to unmapping at GC
            }
        }

        static void unmap(MappedByteBuffer map) {
            if (UNSAFE != null) {
                UNSAFE.invokeCleaner(map);
            }
        }
    }
}
