package srg.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/**
 * Tiny random checkpoints with the real tokenizers from ../shared, written once per test JVM under
 * target/test-models and shared by the test classes.
 */
public final class TestModels {

    private static final Map<ModelFamily, Path> CACHE = new ConcurrentHashMap<>();

    private TestModels() {}

    public static Path shared() {
        String s = System.getProperty("srg.shared");
        return Path.of(s == null ? "../../shared" : s);
    }

    /** Qwen families use the Qwen3 tokenizer, Llama and Mistral the Llama 3 one. */
    public static Path tokenizerFor(ModelFamily family) {
        return shared().resolve("tokenizers").resolve(
                family == ModelFamily.QWEN2 || family == ModelFamily.QWEN3 ? "qwen3" : "llama3");
    }

    public static synchronized Path tiny(ModelFamily family) throws IOException {
        Path cached = CACHE.get(family);
        if (cached != null) {
            return cached;
        }
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath().toFile().exists()
                ? Files.createDirectories(Path.of("target", "test-models")) : Path.of(System.getProperty("java.io.tmpdir")),
                family.modelType() + "-tiny-");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(family, RandomCheckpoint.Preset.TINY, tokenizerFor(family), 7), dir);
        CACHE.put(family, dir);
        return dir;
    }
}
