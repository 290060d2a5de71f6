package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/**
 * {@code --dtype} and {@code --compute-dtype}: a bad value is a one-line error naming the flag
 * before anything loads; F32 is the default and says nothing; a choice asked for is printed.
 */
class ComputeDtypeTest {

    @TempDir
    Path dir;

    @Test
    void generateNamesAndPrintsItsMatmulFormat() throws Exception {
        Path tiny = dir.resolve("tiny");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN3, RandomCheckpoint.Preset.TINY,
                Path.of(System.getProperty("srg.shared", "../../shared")).resolve("tokenizers/qwen3"), 7), tiny);

        AttackCommandTest.Run bad = AttackCommandTest.run("generate", "--model", dir.resolve("absent").toString(),
                "--prompt", "hi", "--dtype", "f16");
        assertEquals(2, bad.exit(), bad.err());
        assertEquals("srg generate: --dtype: unknown dtype \"f16\" (use f32, bf16 or auto)", bad.err().strip(),
                "one line, and before the (absent) model is looked at");

        for (String dtype : new String[] {"bf16", "f32"}) {
            AttackCommandTest.Run ok = AttackCommandTest.run("generate", "--model", tiny.toString(), "--prompt", "hi",
                    "--dtype", dtype, "--temperature", "0", "--max-tokens", "3", "--json");
            assertEquals(0, ok.exit(), ok.err());
            assertTrue(ok.err().contains("srg: matmuls in dtype " + dtype + " (asked for)"), ok.err());
            assertTrue(ok.out().contains("\"completion_tokens\":3"), ok.out());
        }
        AttackCommandTest.Run auto = AttackCommandTest.run("generate", "--model", tiny.toString(), "--prompt", "hi",
                "--dtype", "auto", "--temperature", "0", "--max-tokens", "1");
        assertEquals(0, auto.exit(), auto.err());
        assertTrue(auto.err().contains("srg: matmuls in dtype ") && auto.err().contains("(auto: the CPU reports "), auto.err());
        AttackCommandTest.Run plain = AttackCommandTest.run("generate", "--model", tiny.toString(), "--prompt", "hi",
                "--temperature", "0", "--max-tokens", "1");
        assertEquals(0, plain.exit(), plain.err());
        assertFalse(plain.err().contains("matmuls"), "F32 by default, as before BF16 existed: " + plain.err());
    }

    @Test
    void trainAndModelSpecsNameTheirSetting() throws Exception {
        Path data = Files.writeString(dir.resolve("data.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}\n");
        AttackCommandTest.Run train = AttackCommandTest.run("train", "--base", dir.resolve("absent").toString(), "--data",
                data.toString(), "--out", dir.resolve("out").toString(), "--compute-dtype", "fp8");
        assertEquals(2, train.exit(), train.err());
        assertEquals("srg train: --compute-dtype: unknown dtype \"fp8\" (use f32, bf16 or auto)", train.err().strip());

        AttackCommandTest.Run serve = AttackCommandTest.run("serve", "--model", dir + "?dtype=half", "--port", "0");
        assertEquals(2, serve.exit(), serve.err());
        assertEquals("srg serve: model '" + dir + "?dtype=half': dtype: unknown dtype \"half\" (use f32, bf16 or auto)",
                serve.err().strip());
    }
}
