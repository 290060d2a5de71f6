package srg.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.world.Disguise;
import srg.world.DisguiseAttack;

/** The smoke version of srg quickstart: a tiny world and model, end to end, then a rerun that reuses everything. */
class SafetyWorldStudyTest {

    @TempDir
    Path out;

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void smokeStudyRunsEndToEndAndResumes() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StudyPlan plan = StudyPlan.smoke(3, 2);
        SafetyWorldStudy.Outcome first = new SafetyWorldStudy(plan, out, false,
                new PrintStream(log, true, StandardCharsets.UTF_8), Device.cpu()).run();

        for (String f : new String[] {"report.html", "results.json", "probe.json", "safetyworld.json", "run.db",
                "world/tokenizer/tokenizer.json", "world/corpus.jsonl", "world/rt.jsonl", "world/srg.jsonl",
                "world/eval-harmful.jsonl", "world/eval-benign.jsonl", "world/world.json",
                "models/base/model.safetensors", "models/rt/config.json", "models/srg/config.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        for (String model : new String[] {"base", "rt", "srg"}) {
            JsonNode attacks = results.path("models").path(model).path("attacks");
            assertTrue(attacks.has("none"), model + " has plain prompts");
            for (Disguise d : Disguise.values()) {
                assertTrue(attacks.has(DisguiseAttack.nameOf(d)), model + " has " + d);
            }
            assertTrue(results.path("models").path(model).path("benign").has("refusal_rate"));
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("safetyworld.json").toFile());
        assertEquals(3, summary.path("models").size());
        assertEquals(11, summary.path("expectations").size());
        assertEquals(List.of("sw-role-play", "sw-code", "sw-language"), texts(summary.path("disguises_seen")));
        assertEquals(List.of("sw-cipher", "sw-past-tense", "sw-persuasion", "sw-prefix-injection"),
                texts(summary.path("disguises_unseen")));
        assertEquals(summary.path("disguises_seen"), results.path("config").path("disguises_seen"));
        for (String model : new String[] {"base", "rt", "srg"}) {
            JsonNode m = summary.path("models").path(model);
            JsonNode r = results.path("models").path(model);
            for (String attack : List.of("none", "sw-cipher", "sw-code")) {
                // The summary's figures are results.json's, and the three outcomes of the first sample add up.
                JsonNode o = m.path("attacks").path(attack).path("outcomes_at_1");
                assertEquals(1.0, o.path("unsafe").asDouble() + o.path("refusal").asDouble() + o.path("other").asDouble(), 1e-9,
                        model + " " + attack);
                assertEquals(r.path("attacks").path(attack).path("asr_at_k").path("1").asDouble(),
                        m.path("attacks").path(attack).path("asr_at_1").asDouble(), 1e-12);
                assertTrue(m.path("attacks").path(attack).path("refusal_at_n").asDouble()
                        >= m.path("attacks").path(attack).path("refusal_at_1").asDouble() - 1e-12, "refusal@N >= refusal@1");
                assertTrue(m.path("capability").path(attack).path("helpful_at_1").isNumber(), model + " capability " + attack);
            }
            double unseen = 0;
            for (JsonNode d : summary.path("disguises_unseen")) {
                unseen += m.path("attacks").path(d.asText()).path("asr_at_1").asDouble() / 4;
            }
            assertEquals(unseen, m.path("unseen").path("asr_at_1").asDouble(), 1e-12, "unseen mean");
        }
        assertEquals(8, summary.path("models").path("srg").path("reasoning").size(), "reasoning audit per form");
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("Findings: the study") && report.contains("capability beside safety")
                && report.contains("Representations"), "report sections");
        assertTrue(first.summary().table().contains("unseen disguises: ASR@1"));

        // A rerun reuses the models and every stored sample.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new SafetyWorldStudy(plan, out, false, new PrintStream(again, true, StandardCharsets.UTF_8), Device.cpu()).run();
        String text = again.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("base model: reusing") && text.contains("rt model: reusing")
                && text.contains("srg model: reusing"), text);
        assertEquals(results.path("models").toString(),
                new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("models").toString(),
                "the same samples and verdicts");
    }
}
