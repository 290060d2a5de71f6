package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;
import srg.world.WorldTokenizer;

/**
 * srg study on a real (tiny, random) model with a teacher behind an OpenAI-compatible server:
 * synth, RT pairing, LoRA training of RT and SRG, evaluation, probe and report; then a change of
 * the SRG recipe redoes only what depends on it. Also: every example validates with srg study plan.
 */
class StudyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("srg.shared"));

    @TempDir
    Path tmp;

    /** Refuses the harmful training queries, answers the benign ones, always with guideline reasoning. */
    private static TeacherServer.Reply teach(JsonNode body, int index) {
        String query = TeacherServer.lastMessage(body);
        boolean harmful = HARMFUL.contains(query);
        return TeacherServer.Reply.of("<think>\n" + SynthCommandTest.steps() + "</think>\n\n"
                + (harmful ? "I'm sorry, but I can't help with that." : "Here is a full answer."));
    }

    private static final List<String> HARMFUL = new ArrayList<>();

    private static String study(String teacherUrl, String srgLr) {
        String recipe = "{mode: lora, lora_rank: 4, lora_targets: [q_proj, v_proj], epochs: 1, batch: 4, grad_accum: 1, max_seq_len: 256, lr: ";
        return """
                name: tiny
                seed: 1
                decode_batch: 16
                models:
                  base: base
                teacher: openai:teacher@%s
                data:
                  train:
                    harmful: ["%s?limit=4"]
                    benign: ["%s?limit=4"]
                  eval:
                    harmful: ["%s?limit=3"]
                    over_refusal: ["%s?limit=3"]
                  probe:
                    id_harmful: "%s?limit=6"
                    id_benign: "%s?limit=6"
                synth: {k: 1, keep: 1, judge: keyword, sampling: {max_tokens: 64}}
                training:
                  rt: %s1e-3}
                  srg: %s%s}
                eval: {attacks: [none, caesar], n: 2, judge: keyword, sampling: {max_tokens: 6}, bootstrap: 0}
                probe: {attacks: [caesar], layers: "0,2", batch_size: 8}
                """.formatted(teacherUrl, SHARED.resolve("data/harmful/refusal_direction_harmful_train.json"),
                SHARED.resolve("data/benign/refusal_direction_harmless_train.json"),
                SHARED.resolve("data/harmful/harmbench_behaviors_text_test.csv"), SHARED.resolve("data/xstest/xstest_prompts.csv"),
                SHARED.resolve("data/harmful/refusal_direction_harmful_val.json"),
                SHARED.resolve("data/benign/refusal_direction_harmless_val.json"), recipe, recipe, srgLr);
    }

    /** Each stage's action, from srg study plan's table. */
    private static Map<String, String> plan(CliRun run) {
        assertEquals(0, run.code(), run.err());
        Map<String, String> out = new LinkedHashMap<>();
        run.out().lines().skip(2).forEach(l -> {
            String[] f = l.trim().split("\\s+");
            out.put(f[0], f[2]);
        });
        return out;
    }

    /** Each stage's action in the study folder's record of its last run. */
    private static Map<String, String> done(Path out) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode s : JSON.readTree(out.resolve("study.json").toFile()).path("stages")) {
            m.put(s.path("name").asText(), s.path("status").asText());
        }
        return m;
    }

    /**
     * A random two-layer model whose word-level vocabulary covers the study's texts: a real
     * tokenizer's 150k-word embedding would make every step of this test many times dearer.
     */
    private static void tinyBase(Path dir) throws Exception {
        List<String> texts = new ArrayList<>(List.of(SynthCommandTest.steps(), "I'm sorry, but I can't help with that.", "Here is a full answer."));
        for (String spec : List.of("harmful/refusal_direction_harmful_train.json?limit=4", "benign/refusal_direction_harmless_train.json?limit=4",
                "harmful/harmbench_behaviors_text_test.csv?limit=3", "xstest/xstest_prompts.csv?limit=3",
                "harmful/refusal_direction_harmful_val.json?limit=6", "benign/refusal_direction_harmless_val.json?limit=6")) {
            DatasetLoader.load(DatasetSpec.parse(SHARED.resolve("data").resolve(spec).toString()), true).behaviors()
                    .forEach(b -> texts.add(b.text()));
        }
        Path tokenizer = dir.resolveSibling("tokenizer");
        WorldTokenizer.covering(texts).write(tokenizer);
        ObjectNode shape = JSON.createObjectNode().put("hidden_size", 64).put("num_hidden_layers", 2).put("num_attention_heads", 4)
                .put("num_key_value_heads", 2).put("head_dim", 16).put("intermediate_size", 128).put("tie_word_embeddings", true);
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.LLAMA, RandomCheckpoint.Preset.TINY, tokenizer, 1)
                .withOverrides(shape), dir);
    }

    @Test
    void runsTheStudyAndRedoesOnlyWhatAChangeTouches() throws Exception {
        for (JsonNode n : JSON.readTree(SHARED.resolve("data/harmful/refusal_direction_harmful_train.json").toFile())) {
            HARMFUL.add(n.get("instruction").asText());
        }
        tinyBase(tmp.resolve("base"));
        Path out = tmp.resolve("run");
        Path file = tmp.resolve("study.yaml");
        try (TeacherServer teacher = new TeacherServer(StudyCommandTest::teach)) {
            Files.writeString(file, study(teacher.baseUrl(), "1e-3"));
            List<String> stages = List.of("synth", "rt", "train-rt", "train-srg", "eval", "probe", "report");
            assertEquals(Map.of("synth", "run", "rt", "run", "train-rt", "run", "train-srg", "run", "eval", "run", "probe", "run",
                    "report", "run"), plan(CliRun.of("study", "plan", file.toString(), "--out", out.toString())));

            CliRun first = CliRun.of("study", "run", file.toString(), "--out", out.toString());
            assertEquals(0, first.code(), first.err());
            assertEquals(stages, List.copyOf(done(out).keySet()));
            assertTrue(done(out).values().stream().allMatch("run"::equals), done(out).toString());
            for (String f : new String[] {"synth/srg.jsonl", "rt/rt.jsonl", "models/rt/adapter_model.safetensors",
                    "models/srg/adapter_config.json", "eval/run.db", "probe/hidden/srg/caesar.json", "report/report.html",
                    "report/results.json", "report/probe.json", "report/study.yaml", "cache/synth/run.db"}) {
                assertTrue(Files.exists(out.resolve(f)), f);
            }
            assertEquals(8, teacher.samplesAsked(), "one teacher sample per training query");
            JsonNode results = JSON.readTree(out.resolve("report/results.json").toFile());
            List<String> models = new ArrayList<>();
            results.path("models").fieldNames().forEachRemaining(models::add);
            assertEquals(List.of("base", "rt", "srg"), models);
            assertEquals("tiny", results.at("/config/study/name").asText());
            assertEquals("keyword", results.at("/config/judge/spec").asText());
            assertEquals(6, results.at("/models/srg/attacks/caesar/samples").asInt(), "3 prompts, N = 2");
            assertTrue(first.out().contains("report: " + out.resolve("report/report.html")), first.out());

            // Nothing changed: every stage is reused.
            assertTrue(plan(CliRun.of("study", "plan", file.toString(), "--out", out.toString())).values().stream()
                    .allMatch("reuse"::equals));

            // A new SRG recipe: only the SRG model and what reads it are made again.
            String rtAdapter = Files.readString(out.resolve("models/rt/study-fingerprint.txt"));
            long rtTime = Files.getLastModifiedTime(out.resolve("models/rt/adapter_model.safetensors")).toMillis();
            Files.writeString(file, study(teacher.baseUrl(), "2e-3"));
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("synth", "reuse");
            expected.put("rt", "reuse");
            expected.put("train-rt", "reuse");
            expected.put("train-srg", "redo");
            expected.put("eval", "redo");
            expected.put("probe", "redo");
            expected.put("report", "redo");
            assertEquals(expected, plan(CliRun.of("study", "plan", file.toString(), "--out", out.toString())));
            CliRun second = CliRun.of("study", "run", file.toString(), "--out", out.toString());
            assertEquals(0, second.code(), second.err());
            assertEquals(expected, done(out));
            assertEquals(8, teacher.samplesAsked(), "the teacher is not asked again");
            assertEquals(rtAdapter, Files.readString(out.resolve("models/rt/study-fingerprint.txt")));
            assertEquals(rtTime, Files.getLastModifiedTime(out.resolve("models/rt/adapter_model.safetensors")).toMillis(),
                    "the RT model was not touched");
            try (Stream<Path> left = Files.list(out)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no unfinished stage is left");
            }

            // A change of the evaluation alone redoes the evaluation and the report, nothing else.
            Files.writeString(file, study(teacher.baseUrl(), "2e-3").replace("n: 2, judge: keyword", "n: 3, judge: keyword"));
            Map<String, String> evalOnly = plan(CliRun.of("study", "plan", file.toString(), "--out", out.toString()));
            assertEquals(List.of("reuse", "reuse", "reuse", "reuse", "redo", "reuse", "redo"), List.copyOf(evalOnly.values()));
        }
    }

    @Test
    void everyExampleValidatesWithPlan() throws Exception {
        Path examples = Path.of("..", "examples");
        List<Path> files;
        try (Stream<Path> s = Files.list(examples)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path example : files) {
            CliRun plan = CliRun.of("study", "plan", example.toString(), "--out", tmp.resolve(example.getFileName().toString()).toString());
            assertEquals(0, plan.code(), example + ": " + plan.err());
            assertTrue(plan.out().contains("report"), plan.out());
        }
        CliRun llama = CliRun.of("study", "plan", examples.resolve("llama-3.2-1b-srg.yaml").toString(), "--out", tmp.toString());
        assertTrue(llama.out().lines().anyMatch(l -> l.startsWith("train-rt") && l.contains("blocked")
                && l.contains("models.base: no such folder")), llama.out());
        assertTrue(llama.out().lines().anyMatch(l -> l.startsWith("synth") && l.contains(" run ")), llama.out());
    }

    @Test
    void aBadStudyFileIsOneLineNamingTheLineAndTheKey() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "name: bad\nmodels:\n  base: sim:refuse=0.5\ndata:\n  eval: {harmful: [h.csv]}\neval:\n  n: 0\n");
        CliRun run = CliRun.of("study", "plan", file.toString());
        assertEquals(2, run.code());
        assertEquals("srg study plan: " + file + ":7: eval.n: must be at least 1, got 0", run.err().strip());
    }
}
