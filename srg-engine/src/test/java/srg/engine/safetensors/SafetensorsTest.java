package srg.engine.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static SafetensorsWriter.Entry entry(String name, DType dtype, float[] values, long... shape) {
        return new SafetensorsWriter.Entry(name, shape, dtype, () -> FloatBuffer.wrap(values));
    }

    @Test
    void writesAndReadsEveryDtype() throws IOException {
        float[] values = {0f, 1f, -2.5f, 0.0625f, 3.140625f, -0.001953125f};
        for (DType dtype : DType.values()) {
            Path file = dir.resolve(dtype + ".safetensors");
            SafetensorsWriter.write(file, List.of(entry("w", dtype, values, 2, 3)), Map.of("format", "pt"));
            SafetensorsFile f = SafetensorsFile.open(file);
            TensorInfo t = f.tensors().get("w");
            assertEquals(dtype, t.dtype());
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertArrayEquals(values, TensorReader.read(t), 0f, "values exact in " + dtype);
            assertEquals("pt", f.metadata().get("format"));
            // The data section starts 8-byte aligned, as the reference writer does it.
            assertEquals(0, (t.dataStart()) % 8);
        }
    }

    @Test
    void shardsWithAnIndex() throws IOException {
        float[] a = new float[100];
        float[] b = new float[100];
        for (int i = 0; i < 100; i++) {
            a[i] = i;
            b[i] = -i;
        }
        List<Path> files = SafetensorsWriter.writeCheckpoint(dir, List.of(
                entry("a", DType.F32, a, 10, 10), entry("b", DType.F32, b, 100)), Map.of(), 500);
        assertEquals(3, files.size());
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        Checkpoint ckpt = Checkpoint.open(dir);
        assertArrayEquals(a, TensorReader.read(ckpt.require("a", 10, 10)), 0f);
        assertArrayEquals(b, TensorReader.read(ckpt.require("b", 100)), 0f);
        assertTrue(ckpt.tensors().get("a").file().getFileName().toString().startsWith("model-00001-of-00002"));
    }

    @Test
    void corruptHeaderIsAClearError() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        ByteBuffer buf = ByteBuffer.allocate(8 + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(12).put("{not json!!}".getBytes(StandardCharsets.UTF_8));
        Files.write(file, buf.array());
        UserError e = assertThrows(UserError.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("corrupt"), e.getMessage());

        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Files.write(file, huge.array());
        e = assertThrows(UserError.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheTensor() throws IOException {
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, List.of(entry("first", DType.F32, new float[64], 64),
                entry("second", DType.F32, new float[64], 64)), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        UserError e = assertThrows(UserError.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("second") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void unsupportedDtypeAndBadOffsetsAreClearErrors() throws IOException {
        Path file = dir.resolve("i.safetensors");
        String header = "{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        writeRaw(file, header, 8);
        UserError e = assertThrows(UserError.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("unsupported dtype I64"), e.getMessage());

        writeRaw(file, "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        e = assertThrows(UserError.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("needs 12"), e.getMessage());
    }

    private static void writeRaw(Path file, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Files.write(file, buf.array());
    }

    @Test
    void readsATensorStoredPastTwoGigabytes() throws IOException {
        // A sparse file: 2.25 GB of zero padding takes no disk, and the tensor after it starts past
        // every int offset, so only long offsets and windowed mapping can read it.
        long pad = (9L << 28) / 4;
        float[] tail = {1.5f, -2f, 0.25f, 7f, -0.125f};
        String header = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad * 4 + "]},"
                + "\"tail\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[" + pad * 4 + "," + (pad * 4 + 10) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(json.length).put(json).flip();
            ch.write(head, 0);
            ByteBuffer data = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : tail) {
                data.putShort((short) (Float.floatToIntBits(f) >>> 16));
            }
            ch.write(data.flip(), 8 + json.length + pad * 4);
        }
        assertTrue(Files.size(file) > (1L << 31) + (1L << 28));
        TensorInfo t = SafetensorsFile.open(file).tensors().get("tail");
        assertTrue(t.dataStart() > Integer.MAX_VALUE);
        assertArrayEquals(tail, TensorReader.read(t));
    }
}
