package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {

    private static final Path SHARED = Path.of(System.getProperty("srg.shared", "../../shared"));

    @TempDir
    Path dir;

    private void random(String name, int seed) {
        CliRun r = CliRun.of("model", "random", "--family", "llama", "--tokenizer", SHARED.resolve("tokenizers/llama3").toString(),
                "--seed", "" + seed, "--out", dir.resolve(name).toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void interpolateWritesAModelAndNamesItsFlagsInErrors() {
        random("base", 1);
        random("tuned", 2);
        String base = dir.resolve("base").toString();
        String tuned = dir.resolve("tuned").toString();

        CliRun ok = CliRun.of("model", "interpolate", "--base", base, "--tuned", tuned, "--alpha", "0.5", "--out", dir.resolve("mid").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.exists(dir.resolve("mid/model.safetensors")) && Files.exists(dir.resolve("mid/config.json")));

        CliRun alpha = CliRun.of("model", "interpolate", "--base", base, "--tuned", tuned, "--alpha", "1.5", "--out", dir.resolve("x").toString());
        assertEquals(UserErrorHandler.USER_ERROR_EXIT, alpha.code());
        assertTrue(alpha.err().startsWith("srg model interpolate: --alpha: must be in (0, 1]"), alpha.err());
        assertEquals(1, alpha.err().strip().lines().count(), "one line, no stack trace: " + alpha.err());

        CliRun onto = CliRun.of("model", "interpolate", "--base", base, "--tuned", tuned, "--alpha", "0.5", "--out", tuned);
        assertEquals(UserErrorHandler.USER_ERROR_EXIT, onto.code());
        assertTrue(onto.err().contains("--out " + tuned + " is one of the interpolated models"), onto.err());

        CliRun missing = CliRun.of("model", "interpolate", "--base", dir.resolve("nothing").toString(), "--tuned", tuned,
                "--alpha", "0.5", "--out", dir.resolve("z").toString());
        assertEquals(UserErrorHandler.USER_ERROR_EXIT, missing.code());
        assertTrue(missing.err().contains("nothing/config.json: not found"), missing.err());
        assertTrue(Files.notExists(dir.resolve("z")), "nothing written for a bad input");
    }
}
