package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code srg bench generate --compare-transformers} without the parity suite's Python
 * environment: one line that says how to make it, before any model is made or loaded. (With the
 * environment it runs transformers for real; that is measured by hand, docs/PERFORMANCE.md.)
 */
class CompareTransformersTest {

    @TempDir
    Path tmp;

    @Test
    void withoutThePythonEnvironmentItSaysHowToMakeIt() {
        String home = System.getProperty("srg.home");
        String venv = System.getProperty("srg.parity.venv");
        try {
            System.setProperty("srg.home", Path.of("..").toAbsolutePath().normalize().toString());
            System.setProperty("srg.parity.venv", tmp.resolve("absent-venv").toString());
            AttackCommandTest.Run r = AttackCommandTest.run("bench", "generate", "--model", tmp.resolve("absent-model").toString(),
                    "--compare-transformers");
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("srg bench generate: --compare-transformers: the parity suite's Python environment"
                    + " (torch, transformers) is not made yet: no complete " + tmp.resolve("absent-venv")), r.err());
            assertTrue(r.err().contains("make it with `mvn -B verify`"), r.err());

            System.setProperty("srg.home", tmp.toString());
            AttackCommandTest.Run outside = AttackCommandTest.run("bench", "generate", "--model", tmp.toString(),
                    "--compare-transformers");
            assertEquals(2, outside.exit(), outside.err());
            assertTrue(outside.err().contains("is not an srg checkout (no scripts/transformers_generate.py"), outside.err());
        } finally {
            restore("srg.home", home);
            restore("srg.parity.venv", venv);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
