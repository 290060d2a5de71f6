package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.eval.ResultsJson;

/** srg eval's --benign-under-attacks and --latent-refusal: what they add to results.json, and their misuse. */
class EvalOutcomeFlagsTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");
    private static final String HARMFUL = DATA.resolve("harmful/harmbench_behaviors_text_test.csv") + "?limit=12";
    private static final String BENIGN = DATA.resolve("xstest/xstest_prompts.csv") + "?limit=20";

    @TempDir
    Path tmp;

    @Test
    void flagsAddLatentRefusalAndCapabilityAndAreRecorded() throws Exception {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", HARMFUL, "--attacks", "none,caesar", "--n", "4",
                "--mode", "sequential", "--benign", BENIGN, "--benign-under-attacks", "--latent-refusal", "--bootstrap", "50",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = ResultsJson.read(run.resolve(ResultsJson.FILE_NAME));
        assertTrue(json.at("/config/benign_under_attacks").asBoolean());
        assertTrue(json.at("/config/latent_refusal").asBoolean());
        JsonNode model = json.path("models").elements().next();
        JsonNode none = model.at("/attacks/none");
        assertTrue(none.at("/refusal_at_k/4").isNumber(), none.toString());
        assertTrue(none.at("/outcomes_at_1/refusal").isNumber());
        assertTrue(model.at("/capability/none/refusal_rate").isNumber());
        assertTrue(model.at("/capability/caesar/prompts").asInt() > 0);
        assertTrue(r.out().contains("refusal@1"), r.out());

        // Without the flags: sequential mode has no refusal@k, and there is no capability.
        Path plain = tmp.resolve("plain");
        assertEquals(0, CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", HARMFUL, "--n", "4", "--mode", "sequential",
                "--benign", BENIGN, "--bootstrap", "0", "--out", plain.toString()).code());
        JsonNode p = ResultsJson.read(plain.resolve(ResultsJson.FILE_NAME));
        assertTrue(p.path("models").elements().next().at("/attacks/none/refusal_at_k").isNull());
        assertTrue(p.path("models").elements().next().at("/capability").isNull());
        assertEquals(false, p.at("/config/latent_refusal").asBoolean(true));
    }

    @Test
    void benignUnderAttacksNeedsBenignPrompts() {
        CliRun r = CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", HARMFUL, "--benign-under-attacks", "--out",
                tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--benign-under-attacks: needs benign prompts"), r.err());
    }
}
