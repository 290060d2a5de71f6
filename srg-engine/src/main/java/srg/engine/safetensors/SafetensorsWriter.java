package srg.engine.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.io.AtomicFiles;

/**
 * Writes safetensors files, single or sharded with a {@code model.safetensors.index.json} in the
 * Hugging Face layout. Tensors are streamed one at a time, so a model need not be copied whole
 * into Java memory. Each file is written to a temporary name and renamed into place.
 */
public final class SafetensorsWriter {

    /** A tensor to write; {@code data} is called once, when its bytes are due. */
    public record Entry(String name, long[] shape, DType dtype, DataSource data) {
        long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        long byteLength() {
            return elementCount() * dtype.bytes();
        }
    }

    /** Supplies a tensor's F32 values, positioned at the first element. */
    @FunctionalInterface
    public interface DataSource {
        FloatBuffer get() throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private SafetensorsWriter() {}

    /**
     * Writes {@code entries} into {@code dir} as {@code model.safetensors}, or, when their total
     * size exceeds {@code maxShardBytes}, as {@code model-0000i-of-0000n.safetensors} plus an index.
     * Returns the files written.
     */
    public static List<Path> writeCheckpoint(Path dir, List<Entry> entries, Map<String, String> metadata,
            long maxShardBytes) throws IOException {
        List<List<Entry>> shards = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        long currentBytes = 0;
        for (Entry e : entries) {
            if (!current.isEmpty() && currentBytes + e.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e);
            currentBytes += e.byteLength();
        }
        shards.add(current);
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve("model.safetensors");
            write(file, shards.get(0), metadata);
            Files.deleteIfExists(dir.resolve(INDEX_FILE));
            written.add(file);
            return written;
        }
        ObjectNode index = JSON.createObjectNode();
        long total = 0;
        ObjectNode weightMap = JSON.createObjectNode();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            write(dir.resolve(name), shards.get(i), metadata);
            written.add(dir.resolve(name));
            for (Entry e : shards.get(i)) {
                weightMap.put(e.name(), name);
                total += e.byteLength();
            }
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        AtomicFiles.writeString(dir.resolve(INDEX_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
        Files.deleteIfExists(dir.resolve("model.safetensors"));
        written.add(dir.resolve(INDEX_FILE));
        return written;
    }

    /** Writes one safetensors file. */
    public static void write(Path file, List<Entry> entries, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new LinkedHashMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode node = header.putObject(e.name());
            node.put("dtype", e.dtype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = node.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + e.byteLength());
            offset += e.byteLength();
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (headerBytes.length + 7) / 8 * 8;
        Path tmp = AtomicFiles.temporarySibling(file);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(headerBytes);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                writeFully(ch, head.flip());
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : entries) {
                    FloatBuffer values = e.data().get();
                    if (values.remaining() != e.elementCount()) {
                        throw new IllegalStateException(e.name() + ": expected " + e.elementCount()
                                + " values, got " + values.remaining());
                    }
                    writeValues(ch, chunk, values, e.dtype());
                }
                ch.force(true);
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeValues(FileChannel ch, ByteBuffer chunk, FloatBuffer values, DType dtype)
            throws IOException {
        while (values.hasRemaining()) {
            chunk.clear();
            switch (dtype) {
                case F32 -> {
                    FloatBuffer view = chunk.asFloatBuffer();
                    int n = Math.min(view.remaining(), values.remaining());
                    FloatBuffer slice = values.slice().limit(n);
                    view.put(slice);
                    values.position(values.position() + n);
                    chunk.limit(n * 4);
                }
                case BF16, F16 -> {
                    int n = Math.min(chunk.capacity() / 2, values.remaining());
                    for (int i = 0; i < n; i++) {
                        float v = values.get();
                        chunk.putShort(dtype == DType.BF16 ? Halfs.floatToBf16(v) : Halfs.floatToF16(v));
                    }
                    chunk.flip();
                }
            }
            writeFully(ch, chunk);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
