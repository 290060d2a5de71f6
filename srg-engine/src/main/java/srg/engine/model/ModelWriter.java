package srg.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsWriter;
import srg.io.AtomicFiles;

/**
 * Saves a model in the Hugging Face layout: {@code config.json}, {@code model.safetensors} (or
 * shards + index) and the tokenizer files, so vLLM and transformers load it as they would any
 * checkpoint.
 */
public final class ModelWriter {

    /** Tokenizer and generation files copied verbatim next to the weights. */
    public static final List<String> TOKENIZER_FILES = List.of(
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
            "chat_template.jinja");

    /** Shards above this many bytes, as transformers' default max_shard_size of 5 GB. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private ModelWriter() {}

    public static void save(Transformer model, Path dir, DType dtype, Path tokenizerDir) throws IOException {
        save(model, dir, dtype, tokenizerDir, DEFAULT_SHARD_BYTES);
    }

    public static void save(Transformer model, Path dir, DType dtype, Path tokenizerDir, long maxShardBytes)
            throws IOException {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Transformer.NamedTensor t : model.namedTensors()) {
            entries.add(new SafetensorsWriter.Entry(t.name(), t.shape(), dtype, () -> t.values().get()));
        }
        writeFolder(model.config().raw(), entries, dir, dtype, tokenizerDir, maxShardBytes);
    }

    /** Writes config, weights and tokenizer files; shared by saving and random initialisation. */
    static void writeFolder(ObjectNode config, List<SafetensorsWriter.Entry> entries, Path dir, DType dtype,
            Path tokenizerDir, long maxShardBytes) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = config.deepCopy();
        String name = switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        };
        // transformers ≥ 5 writes "dtype" and reads it before the older "torch_dtype": update
        // whichever the config has, so that neither describes the weights wrongly.
        boolean written = false;
        for (String key : new String[] {"dtype", "torch_dtype"}) {
            if (cfg.has(key)) {
                cfg.put(key, name);
                written = true;
            }
        }
        if (!written) {
            cfg.put("torch_dtype", name);
        }
        AtomicFiles.writeString(dir.resolve("config.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        SafetensorsWriter.writeCheckpoint(dir, entries, Map.of("format", "pt"), maxShardBytes);
        copyTokenizer(tokenizerDir, dir);
    }

    /** Copies the tokenizer files present in {@code from} (no-op when from is null or is dir). */
    public static void copyTokenizer(Path from, Path dir) throws IOException {
        if (from == null || from.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            return;
        }
        for (String name : TOKENIZER_FILES) {
            Path src = from.resolve(name);
            if (Files.exists(src)) {
                Path tmp = AtomicFiles.temporarySibling(dir.resolve(name));
                Files.copy(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.moveIntoPlace(tmp, dir.resolve(name));
            }
        }
    }
}
