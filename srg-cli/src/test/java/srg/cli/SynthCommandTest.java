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
import srg.synth.Guidelines;

/** srg synth and srg synth rt end to end, with a loopback teacher server and the shared data. */
class SynthCommandTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Reasoning that addresses every default guideline, as a teacher's must. */
    static String steps() {
        StringBuilder s = new StringBuilder();
        for (String name : Guidelines.defaults().names()) {
            s.append(name).append(": thinking about ").append(name).append(".\n");
        }
        return s.toString();
    }

    /**
     * Refuses the refusal-direction harmful prompts (they come from the harmful file) and answers
     * the others; sample 2 of every query forgets its closing tag; sample 1 comes back through
     * reasoning_content, as from a server with a reasoning parser.
     */
    private static TeacherServer.Reply teach(JsonNode body, int index) {
        String query = TeacherServer.lastMessage(body);
        boolean harmful = HARMFUL.contains(query);
        String answer = harmful ? "I'm sorry, but I can't help with that." : "Here is a full answer.";
        return switch (index) {
            case 1 -> new TeacherServer.Reply(steps(), answer);
            case 2 -> TeacherServer.Reply.of("<think>\n" + steps());
            default -> TeacherServer.Reply.of("<think>\n" + steps() + "</think>\n\n" + answer);
        };
    }

    private static final List<String> HARMFUL = new ArrayList<>();

    private static List<String> harmfulTexts(Path file, int limit) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(file.toFile())) {
            if (out.size() < limit) {
                out.add(n.get("instruction").asText());
            }
        }
        return out;
    }

    @Test
    void synthesizesResumesAndPairsRtData() throws Exception {
        Path harmful = DATA.resolve("harmful/refusal_direction_harmful_train.json");
        Path benign = DATA.resolve("benign/refusal_direction_harmless_train.json");
        HARMFUL.clear();
        HARMFUL.addAll(harmfulTexts(harmful, 6));
        Path out = tmp.resolve("srg.jsonl");
        try (TeacherServer server = new TeacherServer(SynthCommandTest::teach)) {
            String[] args = {"synth", "--teacher", "openai:teacher@" + server.baseUrl(), "--harmful", harmful + "?limit=6",
                "--benign", benign + "?limit=6", "--k", "3", "--keep", "2", "--batch", "4", "--seed", "9", "--out", out.toString()};
            CliRun run = CliRun.of(args);
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("rejected unclosed-tag"), run.out());
            assertTrue(run.out().contains("guidelines addressed: intent 100% context 100%"), run.out());
            assertEquals(36, server.samplesAsked());

            List<String> lines = Files.readAllLines(out);
            assertEquals(24, lines.size(), "two of three samples of each of 12 queries pass");
            JsonNode first = JSON.readTree(lines.get(0));
            assertEquals(HARMFUL.get(0), first.at("/messages/0/content").asText());
            assertTrue(first.at("/messages/1/content").asText().startsWith("<think>\nintent:"));
            assertEquals(9, first.at("/metadata/seed").asInt());
            assertEquals(Guidelines.defaults().sha256(), first.at("/metadata/guidelines_sha256").asText());
            JsonNode summary = JSON.readTree(tmp.resolve("srg.summary.json").toFile());
            assertEquals(12, summary.at("/acceptance/rejections/unclosed-tag/samples").asInt());
            assertEquals(36, summary.at("/teacher_calls/drawn").asInt());
            assertTrue(Files.isRegularFile(tmp.resolve("srg.cache/run.db")));

            // Run again: nothing is asked of the teacher, and the output is the same.
            CliRun again = CliRun.of(args);
            assertEquals(0, again.code(), again.err());
            assertEquals(36, server.samplesAsked());
            assertEquals(lines, Files.readAllLines(out));
            assertTrue(again.out().contains("36 from the cache, 0 drawn"), again.out());
        }

        Path rt = tmp.resolve("rt.jsonl");
        CliRun pair = CliRun.of("synth", "rt", "--harmful", harmful + "?limit=6", "--benign", benign + "?limit=6", "--srg", out.toString(),
                "--refusals", DATA.resolve("refusals/adv_training_behaviors_safe_responses.csv").toString(), "--out", rt.toString());
        assertEquals(0, pair.code(), pair.err());
        assertTrue(pair.out().contains("identical queries: true, identical lines per query: true"), pair.out());
        JsonNode summary = JSON.readTree(tmp.resolve("rt.summary.json").toFile());
        assertEquals(24, summary.at("/query_sets/rt/lines").asInt());
        assertEquals(0, summary.at("/query_sets/input/left_out_count").asInt());
        for (String line : Files.readAllLines(rt)) {
            assertFalse(JSON.readTree(line).at("/messages/1/content").asText().contains("<think>"));
        }

        // Refusals written by a model: a simulated one that (per query and try) refuses half the time.
        Path written = tmp.resolve("rt-written.jsonl");
        CliRun byModel = CliRun.of("synth", "rt", "--harmful", harmful + "?limit=6", "--benign", benign + "?limit=6", "--srg",
                out.toString(), "--refusals", "model:sim:refuse=0.5", "--out", written.toString());
        assertEquals(0, byModel.code(), byModel.err());
        assertTrue(byModel.err().matches("(?s).*refusals: [1-6] of 6 harmful queries got one written by sim-refuse0.5.*"), byModel.err());
        long own = 0;
        for (String line : Files.readAllLines(written)) {
            JsonNode node = JSON.readTree(line);
            if (node.at("/metadata/harmful").asBoolean()) {
                assertTrue(node.at("/metadata/refusal_source").asText().startsWith("generated by sim-refuse0.5"));
                own += node.at("/metadata/refusal_matched").asBoolean() ? 1 : 0;
            }
        }
        assertTrue(own > 0);
        assertTrue(Files.isDirectory(tmp.resolve("rt-written.cache")), "the written refusals are kept for reruns");
    }

    @Test
    void guidelinesCommandPrintsTheDefaultSetAndItsHash() {
        CliRun run = CliRun.of("synth", "guidelines");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("- name: helpfulness"));
        assertTrue(run.out().contains(Guidelines.defaults().sha256()));
    }

    @Test
    void userMistakesAreOneLineErrors() throws Exception {
        Path bad = tmp.resolve("g.yaml");
        Files.writeString(bad, "guidelines:\n  - name: intent\n    question: Q\n");
        CliRun g = CliRun.of("synth", "guidelines", "--guidelines", bad.toString());
        assertEquals(2, g.code());
        assertTrue(g.err().contains(bad + ": guidelines[0].example: missing"), g.err());

        String harmful = DATA.resolve("harmful/refusal_direction_harmful_train.json") + "?limit=2";
        CliRun noTeacher = CliRun.of("synth", "--harmful", harmful, "--out", tmp.resolve("x.jsonl").toString());
        assertEquals(2, noTeacher.code());
        assertTrue(noTeacher.err().contains("--teacher"), noTeacher.err());

        CliRun badJudge = CliRun.of("synth", "--teacher", "sim:refuse=1", "--harmful", harmful, "--judge",
                "llamaguard@sim:refuse=1", "--out", tmp.resolve("x.jsonl").toString());
        assertEquals(2, badJudge.code());
        assertTrue(badJudge.err().contains("does not say whether an answer refuses"), badJudge.err());

        CliRun badTags = CliRun.of("synth", "--teacher", "sim:refuse=1", "--harmful", harmful, "--think-tags", "<t>",
                "--out", tmp.resolve("x.jsonl").toString());
        assertEquals(2, badTags.code());
        assertTrue(badTags.err().contains("--think-tags"), badTags.err());

        // A teacher that never uses the format: every sample is rejected, counted, and the run still succeeds.
        CliRun sim = CliRun.of("synth", "--teacher", "sim:refuse=1", "--harmful", harmful, "--k", "2", "--out", tmp.resolve("sim.jsonl").toString());
        assertEquals(0, sim.code(), sim.err());
        assertTrue(sim.out().matches("(?s).*rejected missing-tags\\s+4 .*"), sim.out());
        assertEquals(0, Files.readAllLines(tmp.resolve("sim.jsonl")).size());
    }
}
