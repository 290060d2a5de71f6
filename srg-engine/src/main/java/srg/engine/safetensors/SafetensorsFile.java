package srg.engine.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import srg.UserError;

/**
 * The header of one {@code .safetensors} file: an 8-byte little-endian header length, a JSON
 * header mapping tensor names to dtype, shape and data offsets, then the raw data.
 *
 * <p>Every inconsistency (a header that is not JSON, offsets past the end of a truncated file, a
 * byte count that does not match the shape) is a {@link UserError} naming the file and tensor,
 * found here before any native code sees the data.
 */
public final class SafetensorsFile {

    /** Headers beyond this are not plausible; the format's reference reader uses the same bound. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public Path file() {
        return file;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public static SafetensorsFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new UserError(file + ": not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw new UserError(file + ": corrupt safetensors header (declared header length "
                        + headerLen + " bytes, file size " + size + " bytes)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            String headerText = new String(headerBuf.array(), StandardCharsets.UTF_8);
            JsonNode header;
            try {
                header = JSON.readTree(headerText);
            } catch (JsonProcessingException e) {
                throw new UserError(file + ": corrupt safetensors header (not valid JSON: "
                        + e.getOriginalMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw new UserError(file + ": corrupt safetensors header (expected a JSON object)");
            }
            return parse(file, header, 8 + headerLen, size);
        }
    }

    private static SafetensorsFile parse(Path file, JsonNode header, long dataStart, long fileSize) {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        long dataSize = fileSize - dataStart;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode node = e.getValue();
            if (name.equals("__metadata__")) {
                node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String where = file + ": tensor " + name;
            JsonNode dtypeNode = node.get("dtype");
            JsonNode shapeNode = node.get("shape");
            JsonNode offsets = node.get("data_offsets");
            if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offsets == null
                    || !offsets.isArray() || offsets.size() != 2) {
                throw new UserError(where + ": corrupt header entry (needs dtype, shape and two data_offsets)");
            }
            DType dtype = DType.fromHeader(dtypeNode.asText());
            if (dtype == null) {
                throw new UserError(where + ": unsupported dtype " + dtypeNode.asText()
                        + " (srg reads F32, F16 and BF16)");
            }
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new UserError(where + ": negative or non-numeric dimension in shape " + shapeNode);
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin) {
                throw new UserError(where + ": corrupt data_offsets " + offsets);
            }
            if (end - begin != count * dtype.bytes()) {
                throw new UserError(where + ": data_offsets " + offsets + " hold " + (end - begin)
                        + " bytes but shape " + shapeNode + " of " + dtype + " needs " + count * dtype.bytes());
            }
            if (end > dataSize) {
                throw new UserError(where + ": the file is truncated (the tensor ends at byte "
                        + (dataStart + end) + " but the file has " + fileSize + " bytes)");
            }
            tensors.put(name, new TensorInfo(name, file, dtype, shape, dataStart + begin, end - begin));
        }
        return new SafetensorsFile(file, tensors, metadata);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
