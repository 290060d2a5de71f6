package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.world.Disguise;
import srg.world.DisguiseAttack;

/**
 * The smoke version of srg quickstart, end to end through the study pipeline; the same study run
 * from the study file quickstart wrote, into another folder, reproduces its figures exactly; and a
 * rerun reuses every stage.
 */
class SafetyWorldStudyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void smokeStudyRunsEndToEndReproducesFromItsStudyFileAndResumes() throws Exception {
        Path out = tmp.resolve("quickstart");
        CliRun quickstart = CliRun.of("quickstart", "--smoke", "--seed", "3", "--n", "2", "--out", out.toString());
        assertEquals(0, quickstart.code(), quickstart.err());

        for (String f : new String[] {"report/report.html", "report/results.json", "report/probe.json", "report/safetyworld.json",
                "report/study.yaml", "eval/run.db", "eval/results.json", "probe/probe.json", "decode/decode.json",
                "world/tokenizer/tokenizer.json", "world/corpus.jsonl", "world/rt.jsonl", "world/srg.jsonl", "world/replay.jsonl",
                "world/eval-harmful.jsonl", "world/eval-benign.jsonl", "world/world.json", "models/base/model.safetensors",
                "models/rt/config.json", "models/srg/config.json", "study.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        for (String stage : new String[] {"world", "models/base", "decode", "models/rt", "models/srg", "eval", "probe", "report"}) {
            assertTrue(Files.isRegularFile(out.resolve(stage).resolve("study-fingerprint.txt")), stage);
            assertFalse(Files.exists(out.resolve(stage + ".partial")), stage + ".partial is gone");
        }
        JsonNode results = JSON.readTree(out.resolve("report/results.json").toFile());
        for (String model : new String[] {"base", "rt", "srg"}) {
            JsonNode attacks = results.path("models").path(model).path("attacks");
            assertTrue(attacks.has("none"), model + " has plain prompts");
            for (Disguise d : Disguise.values()) {
                assertTrue(attacks.has(DisguiseAttack.nameOf(d)), model + " has " + d);
            }
            assertTrue(results.path("models").path(model).path("benign").has("refusal_rate"));
        }
        // results.json's config has srg eval's shape, with the study it came from.
        JsonNode config = results.path("config");
        assertEquals("sequential", config.path("mode").asText());
        assertEquals("safetyworld-oracle-2", config.path("judge").path("id").asText());
        assertEquals(2, config.path("benign_n").asInt());
        assertEquals("safetyworld", config.path("study").path("name").asText());
        assertTrue(config.path("datasets").get(0).path("path").asText().endsWith("eval-harmful.jsonl"), config.toString());
        assertTrue(config.path("datasets").get(0).path("used").asInt() > 0, config.toString());

        JsonNode summary = JSON.readTree(out.resolve("report/safetyworld.json").toFile());
        assertEquals(3, summary.path("models").size());
        assertEquals(11, summary.path("expectations").size());
        // Twelve pretraining steps teach the smoke base nothing: it is flagged on the console and the page.
        assertTrue(summary.path("warnings").size() > 0, summary.path("warnings").toString());
        assertTrue(quickstart.out().contains("warning: decode: the base model reads only"), quickstart.out());
        assertTrue(Files.readString(out.resolve("report/report.html")).contains("Read this seed&#39;s figures as a failed base"));
        assertEquals(List.of("sw-role-play", "sw-code", "sw-language"), texts(summary.path("disguises_seen")));
        assertEquals(List.of("sw-cipher", "sw-past-tense", "sw-persuasion", "sw-prefix-injection"),
                texts(summary.path("disguises_unseen")));
        assertEquals(summary.path("disguises_seen"), config.path("study").path("disguises_seen"));
        for (String model : new String[] {"base", "rt", "srg"}) {
            JsonNode m = summary.path("models").path(model);
            JsonNode r = results.path("models").path(model);
            for (String attack : List.of("none", "sw-cipher", "sw-code")) {
                // The summary's figures are results.json's, and the three outcomes of the first sample add up.
                JsonNode o = m.path("attacks").path(attack).path("outcomes_at_1");
                assertEquals(1.0, o.path("unsafe").asDouble() + o.path("refusal").asDouble() + o.path("other").asDouble(), 1e-9,
                        model + " " + attack);
                // Unsafe as asked (the asked hazard's procedure) is a part of unsafe: the oracle says which hazard it saw.
                assertTrue(o.path("unsafe_as_asked").isNumber(), model + " " + attack + " unsafe as asked");
                assertTrue(o.path("unsafe_as_asked").asDouble() <= o.path("unsafe").asDouble() + 1e-12, model + " " + attack);
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
            // Which substance the benign answers name: every form, over the prompts capability counts, one name each.
            JsonNode answers = m.path("answers");
            assertEquals(8, answers.size(), model + " answers per form");
            assertEquals(r.path("capability").path("none").path("prompts").asInt(), answers.path("none").path("prompts").asInt());
            for (JsonNode a : answers) {
                assertEquals(1.0, a.path("names_asked").asDouble() + a.path("names_training").asDouble()
                        + a.path("names_other_held_out").asDouble() + a.path("names_none").asDouble(), 1e-9, model + " " + a);
            }
        }
        assertEquals(8, summary.path("models").path("srg").path("reasoning").size(), "reasoning audit per form");
        String report = Files.readString(out.resolve("report/report.html"));
        assertTrue(report.contains("Findings: the study") && report.contains("capability beside safety")
                && report.contains("Representations"), "report sections");
        assertTrue(quickstart.out().contains("unseen disguises: ASR@1"), quickstart.out());
        assertTrue(quickstart.out().contains("unseen: ASR@1, asked hazard only"), quickstart.out());
        assertTrue(quickstart.out().contains("answers: asked substance (plain)"), quickstart.out());
        assertTrue(report.contains("which substance the answers name"), "answer naming section");

        // The study file quickstart wrote, run into another folder: every figure is the same.
        Path again = tmp.resolve("from-yaml");
        CliRun study = CliRun.of("study", "run", out.resolve("report/study.yaml").toString(), "--out", again.toString());
        assertEquals(0, study.code(), study.err());
        JsonNode reproduced = JSON.readTree(again.resolve("report/results.json").toFile());
        assertEquals(results.path("models"), reproduced.path("models"), "the same samples, verdicts and figures");
        JsonNode summaryAgain = JSON.readTree(again.resolve("report/safetyworld.json").toFile());
        for (String field : List.of("models", "expectations", "base_decoding", "plan")) {
            assertEquals(summary.path(field), summaryAgain.path(field), field);
        }
        assertEquals(JSON.readTree(out.resolve("report/probe.json").toFile()).path("models"),
                JSON.readTree(again.resolve("report/probe.json").toFile()).path("models"));
        for (String stage : new String[] {"world", "models/base", "decode", "models/rt", "models/srg", "eval", "probe", "report"}) {
            assertEquals(Files.readString(out.resolve(stage).resolve("study-fingerprint.txt")),
                    Files.readString(again.resolve(stage).resolve("study-fingerprint.txt")), stage + ": the same inputs");
        }

        // A rerun of quickstart reuses every stage and every stored sample.
        CliRun rerun = CliRun.of("quickstart", "--smoke", "--seed", "3", "--n", "2", "--out", out.toString());
        assertEquals(0, rerun.code(), rerun.err());
        for (String stage : new String[] {"world", "base", "decode", "train-rt", "train-srg", "eval", "probe", "report"}) {
            assertTrue(JSON.readTree(out.resolve("study.json").toFile()).path("stages").toString()
                    .contains("\"name\":\"" + stage + "\",\"folder\""), stage);
        }
        for (JsonNode stage : JSON.readTree(out.resolve("study.json").toFile()).path("stages")) {
            assertEquals("reuse", stage.path("status").asText(), stage.toString());
        }
        assertEquals(results.path("models"), JSON.readTree(out.resolve("report/results.json").toFile()).path("models"));
    }
}
