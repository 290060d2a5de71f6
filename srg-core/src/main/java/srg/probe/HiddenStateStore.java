package srg.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import srg.SettingError;
import srg.UserError;
import srg.io.AtomicFiles;
import srg.io.ContentHash;
import srg.io.Utf8File;

/**
 * Hidden states kept in a run folder: {@code RUN_DIR/hidden/<model>/<set>.f32} (the vectors, see
 * {@link HiddenStateIndex} for the layout) beside {@code <set>.json} (the index).
 *
 * <p>Both files are written atomically, data first: a set whose index exists is complete, and a
 * run killed mid-extraction leaves at most a stale temporary file that the next write replaces.
 */
public final class HiddenStateStore {

    /** The folder inside a run folder. */
    public static final String DIR = "hidden";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SAFE_DIR = Pattern.compile("[A-Za-z0-9._-]{1,80}");

    private final Path root;

    private HiddenStateStore(Path root) {
        this.root = root;
    }

    /** The store of run folder {@code runDir}. */
    public static HiddenStateStore inRunDir(Path runDir) {
        return new HiddenStateStore(runDir.resolve(DIR));
    }

    /**
     * Opens an existing store given either a run folder (holding {@code hidden/}) or the
     * {@code hidden/} folder itself.
     */
    public static HiddenStateStore open(Path dir) {
        if (Files.isDirectory(dir.resolve(DIR))) {
            return inRunDir(dir);
        }
        if (Files.isDirectory(dir) && dir.getFileName() != null && dir.getFileName().toString().equals(DIR)) {
            return new HiddenStateStore(dir);
        }
        throw SettingError.of("from_hidden", dir + ": no stored hidden states (expected a run folder with "
                + DIR + "/ inside, or the " + DIR + "/ folder itself)");
    }

    public Path root() {
        return root;
    }

    /** The run folder the store sits in. */
    public Path runDir() {
        return root.toAbsolutePath().getParent();
    }

    /** Receives rows in order while a set is being written. */
    public interface RowSink {
        void add(HiddenStateBatch batch) throws IOException;
    }

    /** Produces a set's rows; called once, inside the atomic write. */
    @FunctionalInterface
    public interface RowProducer {
        void produce(RowSink sink) throws IOException;
    }

    /**
     * Stores one set: runs {@code producer}, which must hand over exactly {@code index.rows()} rows
     * of the index's shape, then commits the data and the index.
     */
    public void write(HiddenStateIndex index, RowProducer producer) throws IOException {
        Path dir = modelDir(index.model());
        int layers = index.layers().size();
        int hidden = index.hiddenSize();
        // Drop the old index first: a run killed after the new data lands must not find an index
        // that describes other prompts.
        Files.deleteIfExists(dir.resolve(index.set() + ".json"));
        AtomicFiles.write(dir.resolve(index.set() + ".f32"), out -> {
            long[] written = {0};
            producer.produce(batch -> {
                batch.checkShape(batch.rows(), layers, hidden);
                for (int r = 0; r < batch.rows(); r++) {
                    writeRow(out, batch.lastToken()[r], batch.meanPooled()[r], (int) index.rowBytes());
                }
                written[0] += batch.rows();
            });
            if (written[0] != index.rows()) {
                throw new IllegalStateException("set " + index.set() + ": produced " + written[0]
                        + " rows, its index says " + index.rows());
            }
        });
        AtomicFiles.writeString(dir.resolve(index.set() + ".json"), JSON.writeValueAsString(index) + "\n");
    }

    private static void writeRow(OutputStream out, float[][] last, float[][] mean, int rowBytes) throws IOException {
        ByteBuffer row = ByteBuffer.allocate(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int l = 0; l < last.length; l++) {
            for (float v : last[l]) {
                row.putFloat(v);
            }
            for (float v : mean[l]) {
                row.putFloat(v);
            }
        }
        out.write(row.array());
    }

    /** The stored index of {@code set} for {@code model}, if that set is stored. */
    public Optional<HiddenStateIndex> index(String model, String set) {
        return locate(model, set).map(HiddenStateStore::readIndex);
    }

    /** Memory-maps a stored set. */
    public HiddenStates open(String model, String set) {
        Path json = locate(model, set).orElseThrow(() -> new UserError("no hidden states stored for model '" + model
                + "', set '" + set + "' in " + root));
        return HiddenStates.map(json.resolveSibling(set + ".f32"), readIndex(json));
    }

    /**
     * The index file of a stored set. Sets this store wrote are in {@link #modelDir}; a folder
     * written by other tools may have any name, since the model is named inside each index.
     */
    private Optional<Path> locate(String model, String set) {
        Path usual = modelDir(model).resolve(set + ".json");
        if (Files.isRegularFile(usual) && readIndex(usual).model().equals(model)) {
            return Optional.of(usual);
        }
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path candidate = dir.resolve(set + ".json");
                if (!candidate.equals(usual) && Files.isRegularFile(candidate)
                        && readIndex(candidate).model().equals(model)) {
                    return Optional.of(candidate);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    /** The models with stored sets, by name. */
    public List<String> models() {
        return new ArrayList<>(catalog().keySet());
    }

    /** The stored set names of {@code model}, sorted. */
    public List<String> sets(String model) {
        return new ArrayList<>(catalog().getOrDefault(model, new TreeSet<>()));
    }

    private TreeMap<String, TreeSet<String>> catalog() {
        TreeMap<String, TreeSet<String>> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                        HiddenStateIndex index = readIndex(f);
                        out.computeIfAbsent(index.model(), m -> new TreeSet<>()).add(index.set());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static HiddenStateIndex readIndex(Path file) {
        HiddenStateIndex index;
        try {
            index = JSON.readValue(Utf8File.open(file), HiddenStateIndex.class);
        } catch (IOException e) {
            throw new UserError(file + ": not a readable hidden-state index (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        index.check(file.toString());
        return index;
    }

    /**
     * The folder of one model. Model ids can hold '/', ':' and the like (Hugging Face names, URLs),
     * so unsafe names get a readable prefix plus a hash; the real name is in each index.
     */
    Path modelDir(String model) {
        if (SAFE_DIR.matcher(model).matches() && !model.startsWith(".")) {
            return root.resolve(model);
        }
        String readable = model.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        readable = readable.substring(0, Math.min(readable.length(), 60));
        return root.resolve(readable + "-" + shortHash(model));
    }

    private static String shortHash(String s) {
        return ContentHash.ofText(s).substring(0, 8);
    }
}
