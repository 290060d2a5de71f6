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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.world.Disguise;
import srg.world.DisguiseAttack;

/** The smoke version of srg quickstart: a tiny world and model, end to end, then a rerun that reuses everything. */
class SafetyWorldStudyTest {

    @TempDir
    Path out;

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
        assertTrue(summary.path("expectations").size() >= 8);
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("SafetyWorld: the study") && report.contains("Representations"), "report sections");
        assertTrue(first.summary().table().contains("OOD ASR@1"));

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
