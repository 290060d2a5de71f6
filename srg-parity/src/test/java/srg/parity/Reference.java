package srg.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.engine.safetensors.SafetensorsFile;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;

/**
 * The reference side of the parity suite: {@code src/test/python/reference.py} run once per test
 * JVM in the environment of {@link PythonEnvironment}. Its {@code make} phase builds checkpoints
 * with transformers and writes what transformers and PEFT compute on them, listed in
 * {@code manifest.json}; its {@code load} phase computes logits of what srg wrote
 * ({@link #load}). Everything lives under {@code target/parity}.
 */
final class Reference {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The prompt datasets of ../shared/data whose every prompt the tokenizer check encodes. */
    private static final List<String> PROMPT_DATASETS = List.of(
            "harmful/harmbench_behaviors_text_all.csv",
            "harmful/advbench_behaviors.csv",
            "harmful/strongreject_dataset.csv",
            "harmful/malicious_instruct.txt",
            "harmful/refusal_direction_harmful_train.json",
            "harmful/refusal_direction_harmful_val.json",
            "harmful/refusal_direction_harmful_test.json",
            "benign/refusal_direction_harmless_train.json",
            "benign/refusal_direction_harmless_val.json",
            "benign/refusal_direction_harmless_test.json",
            "xstest/xstest_prompts.csv");

    private static Reference instance;
    private static RuntimeException failure;

    private final Path work;
    private final Path scripts;
    private final Path python;
    private final JsonNode manifest;
    private final double seconds;

    private Reference(Path work, Path scripts, Path python, JsonNode manifest, double seconds) {
        this.work = work;
        this.scripts = scripts;
        this.python = python;
        this.manifest = manifest;
        this.seconds = seconds;
    }

    /** The reference outputs, computed on first use; a failure is kept and reported by every caller. */
    static synchronized Reference get() {
        if (instance == null && failure == null) {
            try {
                instance = make();
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException(e);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return instance;
    }

    static Path shared() {
        return Path.of(System.getProperty("srg.shared", "../../shared"));
    }

    private static Reference make() throws IOException, InterruptedException {
        Path work = Path.of(System.getProperty("srg.parity.work", "target/parity")).toAbsolutePath();
        Path scripts = Path.of(System.getProperty("srg.parity.python", "src/test/python")).toAbsolutePath();
        Files.createDirectories(work.resolve("inputs"));
        Path log = work.resolve("python.log");
        Files.deleteIfExists(log);
        long started = System.nanoTime();
        Path python = PythonEnvironment.python(scripts.resolve("requirements.txt"), log);
        System.out.printf("parity: Python environment %s ready in %.0f s%n", python.getParent().getParent(),
                (System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        writePrompts(work.resolve("inputs").resolve("prompts.jsonl"));
        PythonEnvironment.run(List.of(python.toString(), scripts.resolve("reference.py").toString(), "make",
                work.toString(), shared().toAbsolutePath().toString()), log, 20,
                "computing the reference outputs (reference.py make)");
        JsonNode manifest = JSON.readTree(work.resolve("manifest.json").toFile());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("parity: reference outputs of transformers %s, PEFT %s, torch %s in %.0f s (%s)%n",
                manifest.path("versions").path("transformers").asText(), manifest.path("versions").path("peft").asText(),
                manifest.path("versions").path("torch").asText(), seconds, work);
        return new Reference(work, scripts, python, manifest, seconds);
    }

    /** Every prompt of the shared datasets, once, as {"id", "text"} lines (the user message srg would send). */
    private static void writePrompts(Path file) throws IOException {
        Set<String> texts = new LinkedHashSet<>();
        for (String name : PROMPT_DATASETS) {
            for (Behavior b : DatasetLoader.load(shared().resolve("data").resolve(name)).behaviors()) {
                texts.add(b.prompt());
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (String t : texts) {
            out.append(JSON.writeValueAsString(JSON.createObjectNode().put("id", i++).put("text", t))).append('\n');
        }
        Files.writeString(file, out);
    }

    JsonNode manifest() {
        return manifest;
    }

    Path work() {
        return work;
    }

    double seconds() {
        return seconds;
    }

    List<JsonNode> list(String key) {
        return StreamSupport.stream(manifest.path(key).spliterator(), false).toList();
    }

    /** A tensor the reference wrote, as F32 values. */
    static float[] tensor(String file, String name) {
        try {
            TensorInfo info = SafetensorsFile.open(Path.of(file)).tensors().get(name);
            if (info == null) {
                throw new IllegalStateException(file + " has no tensor " + name);
            }
            return TensorReader.read(info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A checkpoint or adapter srg wrote, for transformers or PEFT to load and run on {@code ids}. */
    record LoadRequest(String name, String kind, Path dir, Path base, long[] ids) {
        static LoadRequest model(String name, Path dir, long[] ids) {
            return new LoadRequest(name, "model", dir, null, ids);
        }

        static LoadRequest peft(String name, Path adapter, Path base, long[] ids) {
            return new LoadRequest(name, "peft", adapter, base, ids);
        }
    }

    /** The logits transformers or PEFT compute for each request, in request order. */
    List<float[]> load(List<LoadRequest> requests) throws IOException, InterruptedException {
        Path folder = work.resolve("load");
        Files.createDirectories(folder);
        ArrayNode list = JSON.createArrayNode();
        for (LoadRequest r : requests) {
            ObjectNode o = list.addObject().put("name", r.name()).put("kind", r.kind()).put("dir", r.dir().toString());
            if (r.base() != null) {
                o.put("base", r.base().toString());
            }
            ArrayNode ids = o.putArray("ids");
            for (long id : r.ids()) {
                ids.add(id);
            }
        }
        Files.writeString(folder.resolve("requests.json"), list.toString());
        PythonEnvironment.run(List.of(python.toString(), scripts.resolve("reference.py").toString(), "load",
                work.toString()), work.resolve("python.log"), 10,
                "loading srg's checkpoints and adapters in transformers and PEFT (reference.py load)");
        List<float[]> out = new ArrayList<>();
        for (LoadRequest r : requests) {
            out.add(tensor(folder.resolve(r.name() + ".safetensors").toString(), "logits"));
        }
        return out;
    }

    static long[] ids(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
