package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;

/**
 * The baseline's side of its talk with {@code scripts/transformers_generate.py}: the errors before
 * any run, the settings it sends on stdin and how it reads the lines that come back. A stand-in
 * for the environment's python plays the script (the real one needs torch and transformers:
 * measured by hand, docs/PERFORMANCE.md).
 */
class TransformersBaselineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String venvBefore;

    @BeforeEach
    void remember() {
        venvBefore = System.getProperty("srg.parity.venv");
    }

    @AfterEach
    void restore() {
        if (venvBefore == null) {
            System.clearProperty("srg.parity.venv");
        } else {
            System.setProperty("srg.parity.venv", venvBefore);
        }
    }

    /** A checkout with the script and the pinned requirements, and an environment whose python is {@code body}. */
    private Path checkout(String pythonBody, boolean complete) throws Exception {
        Path root = tmp.resolve("checkout");
        Files.createDirectories(root.resolve(TransformersBaseline.SCRIPT).getParent());
        Files.writeString(root.resolve(TransformersBaseline.SCRIPT), "# played by the stand-in python\n");
        Files.createDirectories(root.resolve(ReferenceVenv.REQUIREMENTS).getParent());
        Files.writeString(root.resolve(ReferenceVenv.REQUIREMENTS), "torch\ntransformers\n");
        Path venv = tmp.resolve("venv");
        System.setProperty("srg.parity.venv", venv.toString());
        Files.createDirectories(venv.resolve("bin"));
        Path python = venv.resolve("bin/python");
        Files.writeString(python, "#!/bin/sh\n" + pythonBody);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (complete) {
            ReferenceVenv.of(root.resolve(ReferenceVenv.REQUIREMENTS)).markComplete();
        }
        return root;
    }

    @Test
    void outsideACheckoutOrWithoutTheEnvironmentTheErrorNamesTheSetting() throws Exception {
        SettingError outside = assertThrows(SettingError.class, () -> TransformersBaseline.find(tmp, "compare_transformers"));
        assertEquals("compare_transformers", outside.setting());
        assertTrue(outside.getMessage().contains("is not an srg checkout (no " + TransformersBaseline.SCRIPT), outside.getMessage());

        Path root = checkout("exit 0\n", false);
        SettingError notMade = assertThrows(SettingError.class, () -> TransformersBaseline.find(root, "compare_transformers"));
        assertEquals("compare_transformers: the parity suite's Python environment (torch, transformers) is not made yet: no complete "
                + tmp.resolve("venv"), notMade.getMessage().substring(0, notMade.getMessage().indexOf(';')));
    }

    @Test
    void theSettingsGoOnStdinAndEachJsonLineIsARow() throws Exception {
        Path request = tmp.resolve("request.json");
        Path root = checkout("cat > " + request + "\n"
                + "echo '{\"versions\": {\"torch\": \"2.7.1\", \"transformers\": \"4.57.1\"}, \"threads\": 2}'\n"
                + "echo 'a warning that is not JSON'\n"
                + "echo '{\"dtype\": \"f32\", \"streams\": 1, \"new_tokens\": 8, \"seconds\": 0.5, \"tokens_per_second\": 16.0}'\n"
                + "echo '{\"dtype\": \"bf16\", \"streams\": 4, \"new_tokens\": 8, \"seconds\": 2.0, \"tokens_per_second\": 16.5}'\n",
                true);
        TransformersBaseline.Runs runs = TransformersBaseline.find(root, "compare_transformers")
                .run(Path.of("/models/tiny"), new long[] {5, 6, 7}, List.of(1, 4), 8, 2, List.of("f32", "bf16"));

        JsonNode sent = JSON.readTree(request.toFile());
        assertEquals("/models/tiny", sent.get("model").asText());
        assertEquals("[5,6,7]", sent.get("prompt_ids").toString());
        assertEquals("[1,4]", sent.get("streams").toString());
        assertEquals("[\"f32\",\"bf16\"]", sent.get("dtypes").toString());
        assertEquals(8, sent.get("new_tokens").asInt());
        assertEquals(2, sent.get("threads").asInt());

        assertEquals("torch 2.7.1, transformers 4.57.1", runs.versions());
        assertEquals(2, runs.threads());
        assertEquals(new TransformersBaseline.Row("bf16", 4, 8, 2.0, 16.5), runs.row("bf16", 4));
        assertEquals(16.0, runs.row("f32", 1).tokensPerSecond());
        assertEquals(null, runs.row("f32", 4));
    }

    @Test
    void aFailedScriptSaysSoWithWhatItPrinted() throws Exception {
        Path root = checkout("cat > /dev/null\necho 'out of memory'\nexit 3\n", true);
        TransformersBaseline baseline = TransformersBaseline.find(root, "compare_transformers");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> baseline.run(tmp, new long[] {1}, List.of(1), 4, 0, List.of("f32")));
        assertTrue(e.getMessage().contains("failed (exit 3): out of memory"), e.getMessage());
    }
}
