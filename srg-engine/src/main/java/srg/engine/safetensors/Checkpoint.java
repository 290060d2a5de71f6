package srg.engine.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import srg.UserError;
import srg.io.Utf8File;

/**
 * All tensors of a Hugging Face model folder: a single {@code model.safetensors}, shards listed
 * in {@code model.safetensors.index.json}, or (for adapters and odd layouts) every
 * {@code *.safetensors} file in the folder.
 */
public final class Checkpoint {

    private final Path dir;
    // What a missing tensor was looked for in: the single file, the index, or the files found.
    private final String source;
    private final Map<String, TensorInfo> tensors;

    private Checkpoint(Path dir, String source, Map<String, TensorInfo> tensors) {
        this.dir = dir;
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static Checkpoint open(Path dir) throws IOException {
        return open(dir, "model");
    }

    /** Opens {@code <prefix>.safetensors} or its sharded index, e.g. prefix "adapter_model". */
    public static Checkpoint open(Path dir, String prefix) throws IOException {
        Path index = dir.resolve(prefix + ".safetensors.index.json");
        Path single = dir.resolve(prefix + ".safetensors");
        List<Path> files = new ArrayList<>();
        if (Files.exists(index)) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(Utf8File.open(index));
            } catch (IOException e) {
                throw new UserError(index + ": not valid JSON (" + e.getMessage() + ")");
            }
            JsonNode map = root.get("weight_map");
            if (map == null || !map.isObject()) {
                throw new UserError(index + ": missing the \"weight_map\" object");
            }
            map.fields().forEachRemaining(e -> {
                Path f = dir.resolve(e.getValue().asText());
                if (!files.contains(f)) {
                    files.add(f);
                }
            });
            for (Path f : files) {
                if (!Files.exists(f)) {
                    throw new UserError(index + " names shard " + f.getFileName() + ", which does not exist");
                }
            }
        } else if (Files.exists(single)) {
            files.add(single);
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new UserError(dir + ": no " + prefix + ".safetensors, no index and no *.safetensors files");
            }
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Path f : files) {
            for (TensorInfo t : SafetensorsFile.open(f).tensors().values()) {
                TensorInfo previous = tensors.putIfAbsent(t.name(), t);
                if (previous != null) {
                    throw new UserError("tensor " + t.name() + " appears in both " + previous.file().getFileName()
                            + " and " + f.getFileName());
                }
            }
        }
        String source = Files.exists(index) ? index.toString()
                : files.size() == 1 ? files.get(0).toString()
                : dir + " (" + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList()) + ")";
        return new Checkpoint(dir, source, tensors);
    }

    public Path dir() {
        return dir;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor, checked against the expected shape; errors name the file, tensor and shape. */
    public TensorInfo require(String name, long... expectedShape) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new UserError(source + ": missing tensor " + name + " (expected shape "
                    + Arrays.toString(expectedShape) + ")");
        }
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new UserError(t.file() + ": tensor " + name + " has shape " + t.shapeString()
                    + ", expected " + Arrays.toString(expectedShape));
        }
        return t;
    }
}
