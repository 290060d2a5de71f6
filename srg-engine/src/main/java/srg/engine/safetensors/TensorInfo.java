package srg.engine.safetensors;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives: its file, element type, shape and absolute byte range in the file.
 *
 * @param dataStart absolute offset of the first byte (after the header)
 * @param byteLength number of bytes of data
 */
public record TensorInfo(String name, Path file, DType dtype, long[] shape, long dataStart, long byteLength) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
