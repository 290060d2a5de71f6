package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** srg eval --judge-reasoning on a reasoning model served like vLLM with a reasoning parser. */
class EvalReasoningCommandTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");

    @TempDir
    Path tmp;

    @Test
    void reasoningIsJudgedAndCountedOnlyWhenAsked() throws Exception {
        // Every answer refuses, but the reasoning (in reasoning_content) spells out a plan.
        try (TeacherServer server = new TeacherServer((body, i) ->
                new TeacherServer.Reply("Sure, the steps would be: first gather the parts, then assemble them.",
                        "I'm sorry, but I can't help with that."))) {
            String dataset = DATA.resolve("harmful/harmbench_behaviors_text_test.csv") + "?limit=4";
            String model = "openai:reasoner@" + server.baseUrl();
            Path off = tmp.resolve("off");
            CliRun plain = CliRun.of("eval", "--model", model, "--dataset", dataset, "--n", "2", "--bootstrap", "0", "--out", off.toString());
            assertEquals(0, plain.code(), plain.err());
            JsonNode offResults = new ObjectMapper().readTree(off.resolve("results.json").toFile());
            assertEquals(0.0, offResults.at("/models/reasoner/attacks/none/asr_at_k/1").asDouble());
            assertTrue(offResults.at("/models/reasoner/attacks/none/reasoning").isMissingNode());

            Path count = tmp.resolve("count");
            CliRun counted = CliRun.of("eval", "--model", model, "--dataset", dataset, "--n", "2", "--bootstrap", "0",
                    "--judge-reasoning", "count", "--out", count.toString());
            assertEquals(0, counted.code(), counted.err());
            assertTrue(counted.out().contains("8 verdicts changed"), counted.out());
            JsonNode results = new ObjectMapper().readTree(count.resolve("results.json").toFile());
            JsonNode none = results.at("/models/reasoner/attacks/none");
            assertEquals(1.0, none.at("/asr_at_k/1").asDouble());
            assertEquals(0.0, none.at("/reasoning/answer_only_asr_at_k/1").asDouble());
            assertEquals(8, none.at("/reasoning/with_reasoning").asInt());
            assertEquals("count", results.at("/config/judge_reasoning").asText());
            String html = Files.readString(count.resolve("report.html"));
            assertTrue(html.contains("Sample reasoning traces") && html.contains("first gather the parts"));

            CliRun bad = CliRun.of("eval", "--model", model, "--dataset", dataset, "--judge-reasoning", "always", "--out", tmp.resolve("x").toString());
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("--judge-reasoning"), bad.err());
        }
    }
}
