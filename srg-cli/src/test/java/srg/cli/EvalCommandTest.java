package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.store.RunStore;

/** srg eval, report and export, end to end on the shared data and a simulated model. */
class EvalCommandTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");

    @TempDir
    Path tmp;

    private String[] evalArgs(Path out, String mode) {
        return new String[] {"eval", "--model", "sim:refuse=0.6?name=rt", "--model", "sim:refuse=0.95&seed=2?name=srg",
            "--dataset", DATA.resolve("harmful/harmbench_behaviors_text_test.csv") + "?limit=24",
            "--n", "8", "--mode", mode, "--benign", DATA.resolve("xstest/xstest_prompts.csv") + "?limit=60",
            "--bootstrap", "200", "--out", out.toString()};
    }

    @Test
    void evalWritesResultsReportAndResumesWithoutRecomputing() throws Exception {
        Path run = tmp.resolve("run");
        CliRun first = CliRun.of(evalArgs(run, "full"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("over-refusal"), first.out());
        JsonNode results = new ObjectMapper().readTree(run.resolve("results.json").toFile());
        JsonNode none = results.at("/models/rt/attacks/none");
        assertEquals(24, none.get("prompts").asInt());
        assertEquals(8, none.get("asr_at_k").size());
        assertEquals(192, none.get("samples").asInt());
        assertTrue(none.at("/ci95_at_k/8").isArray());
        assertTrue(results.at("/models/srg/benign/refusal_rate").isNumber());
        assertEquals(8, results.at("/config/n").asInt());
        String judgeId = results.at("/config/judge/id").asText();
        assertTrue(judgeId.matches("refusal-classifier:[0-9a-f]{8}"), "the default judge: " + judgeId);
        assertEquals(64, results.at("/config/datasets/0/sha256").asText().length());
        assertTrue(Files.size(run.resolve("report.html")) > 1_000_000);
        long samples;
        try (RunStore store = RunStore.openExisting(run)) {
            samples = store.count("samples");
        }
        assertEquals(2 * (24 * 8 + 35), samples, "XSTest's first 60 rows hold 35 safe prompts");

        CliRun again = CliRun.of(evalArgs(run, "full"));
        assertEquals(0, again.code(), again.err());
        try (RunStore store = RunStore.openExisting(run)) {
            assertEquals(samples, store.count("samples"));
        }
        JsonNode results2 = new ObjectMapper().readTree(run.resolve("results.json").toFile());
        assertEquals(results.at("/models/rt/attacks/none/asr_at_k"), results2.at("/models/rt/attacks/none/asr_at_k"));

        CliRun export = CliRun.of("export", run.toString());
        assertEquals(0, export.code(), export.err());
        List<String> lines = Files.readAllLines(run.resolve("samples.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(samples, lines.size());
        JsonNode row = new ObjectMapper().readTree(lines.get(0));
        assertTrue(row.at("/verdicts/" + judgeId + "/verdict").isTextual(), lines.get(0));
        assertTrue(row.get("messages").isArray());

        Path seq = tmp.resolve("seq");
        assertEquals(0, CliRun.of(evalArgs(seq, "sequential")).code());
        CliRun compare = CliRun.of("report", run.toString(), seq.toString(), "--out", tmp.resolve("both.html").toString());
        assertEquals(0, compare.code(), compare.err());
        String html = Files.readString(tmp.resolve("both.html"));
        assertTrue(html.contains("run · rt") && html.contains("seq · srg"));
    }

    @Test
    void userMistakesAreOneLineErrors() {
        Path out = tmp.resolve("x");
        String dataset = DATA.resolve("harmful/advbench_behaviors.csv").toString();
        assertUserError(CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", dataset, "--attacks", "no-such-attack", "--out", out.toString()),
                "no-such-attack");
        assertUserError(CliRun.of("eval", "--model", tmp.toString(), "--dataset", dataset, "--out", out.toString()),
                "needs config.json");
        assertUserError(CliRun.of("eval", "--model", "foo:bar", "--dataset", dataset, "--out", out.toString()), "unknown kind 'foo'");
        assertUserError(CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", "nope.csv", "--out", out.toString()), "no such file");
        assertUserError(CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", dataset, "--judge", "llamaguard", "--out", out.toString()),
                "needs a model");
        assertUserError(CliRun.of("eval", "--model", "sim:refuse=0.5", "--dataset", dataset, "--mode", "fast", "--out", out.toString()),
                "--mode");
        assertUserError(CliRun.of("report", tmp.toString()), "no results.json");
        assertUserError(CliRun.of("export", tmp.toString()), "not a run folder");
    }

    private static void assertUserError(CliRun r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
