package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/**
 * {@code --dtype} and {@code --compute-dtype}: a bad value is a one-line error naming the flag
 * before anything loads; auto is the default; the choice, and why, is always printed; an
 * evaluation records it and refuses to mix two formats in one run store.
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
        assertTrue(plain.err().contains("srg: matmuls in dtype ") && plain.err().contains("(the default, auto: the CPU reports "),
                plain.err());
    }

    @Test
    void anEvaluationRecordsItsFormatAndNeverMixesTwo() throws Exception {
        Path tiny = dir.resolve("tiny");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN3, RandomCheckpoint.Preset.TINY,
                Path.of(System.getProperty("srg.shared", "../../shared")).resolve("tokenizers/qwen3"), 7), tiny);
        String dataset = Path.of(System.getProperty("srg.shared", "../../shared"))
                .resolve("data/harmful/harmbench_behaviors_text_test.csv") + "?limit=2";
        Path out = dir.resolve("eval");
        String[] common = {"--dataset", dataset, "--attacks", "none", "--n", "2", "--max-tokens", "3", "--bootstrap", "0",
            "--out", out.toString()};
        String auto = srg.engine.model.Precision.choose("auto", "dtype").precision().setting();
        String other = auto.equals("bf16") ? "f32" : "bf16";
        AttackCommandTest.Run first = AttackCommandTest.run(concat("eval", "--model", tiny + "?name=tiny", common));
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().contains("tiny: matmuls in dtype " + auto + " (the default, auto: "), first.err());
        JsonNode config = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("config");
        assertEquals(auto, config.path("models").get(0).path("dtype").asText(), config.toString());

        AttackCommandTest.Run mixed = AttackCommandTest.run(concat("eval", "--model", tiny + "?name=tiny&dtype=" + other, common));
        assertEquals(2, mixed.exit(), mixed.err());
        assertTrue(mixed.err().contains("model 'tiny' has samples here computed in " + auto + ", and it now computes in " + other
                + "; one model's samples never mix two number formats. Set the model's dtype to " + auto), mixed.err());
        assertFalse(mixed.err().contains("\tat "), mixed.err());
    }

    private static String[] concat(String command, String model, String spec, String[] rest) {
        String[] all = new String[rest.length + 3];
        all[0] = command;
        all[1] = model;
        all[2] = spec;
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
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
