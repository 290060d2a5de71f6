package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * srg probe through its real wiring: a random checkpoint in-process, the shared datasets through
 * the dataset loaders, and an attack from the registry.
 */
class ProbeOnCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void extractsFromACheckpointAndWritesTheRunReport() throws Exception {
        Path shared = Path.of(System.getProperty("srg.shared"));
        Path base = dir.resolve("base");
        CliRun made = CliRun.of("model", "random", "--family", "qwen2", "--tokenizer",
                shared.resolve("tokenizers/qwen3").toString(), "--out", base.toString());
        assertEquals(0, made.code(), made.err());

        Path run = dir.resolve("run");
        String harmful = shared.resolve("data/harmful/refusal_direction_harmful_val.json") + "?limit=12";
        String benign = shared.resolve("data/benign/refusal_direction_harmless_val.json") + "?limit=12";
        CliRun probe = CliRun.of("probe", "--model", "local:" + base + "?name=tiny", "--id-harmful", harmful, "--id-benign", benign,
                "--attacks", "caesar", "--layers", "0,2", "--batch-size", "5", "--out", run.toString());
        assertEquals(0, probe.code(), probe.err() + probe.out());
        for (String f : new String[] {"probe.json", "probe.html", "report.html", "hidden/tiny/caesar.json", "hidden/tiny/id_harmful.f32"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertTrue(Files.readString(run.resolve("report.html")).contains("Representations: "), "the probe section is in the run report");

        CliRun badAdapter = CliRun.of("probe", "--model", "local:" + base + "?adapter=" + dir.resolve("none"), "--id-harmful", harmful,
                "--id-benign", benign, "--attacks", "caesar", "--out", dir.resolve("run2").toString());
        assertEquals(2, badAdapter.code());
        assertTrue(badAdapter.err().contains("adapter=" + dir.resolve("none") + " is not a folder"), badAdapter.err());
    }
}
