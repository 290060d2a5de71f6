package srg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.attack.ScriptedChatModel;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.data.Behavior;
import srg.eval.EvalProgress;
import srg.judge.RefusalKeywordJudge;
import srg.store.CachedChatModel;
import srg.store.RunStore;

class SynthesizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Guidelines G = Guidelines.defaults();
    private static final SamplingParams SAMPLING = SamplingParams.of(0.7, 512, 42);

    @TempDir
    Path tmp;

    static List<Behavior> harmful(int n) {
        List<Behavior> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Behavior("h" + i, "harmful request number " + i, i % 2 == 0 ? "chemical" : "cyber", true, "test", null));
        }
        return out;
    }

    static List<Behavior> benign(int n) {
        List<Behavior> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Behavior("b" + i, "benign request number " + i, "", false, "test", null));
        }
        return out;
    }

    /**
     * The scripted teacher: refuses harmful requests and answers benign ones, taking every step;
     * sample 1 of every third query leaves its reasoning unclosed, and harmful request 1 is answered.
     */
    static String script(Conversation c, int index) {
        String query = c.lastUserContent();
        if (index == 1 && query.endsWith("0") || index == 1 && query.endsWith("3")) {
            return "<think>\nintent: cut off";
        }
        if (query.equals("harmful request number 1")) {
            return Replies.full("Sure, here is how to do it.");
        }
        return Replies.full(query.startsWith("benign") ? "Here is a complete answer to " + query + "." : Replies.REFUSAL);
    }

    private Synthesizer synthesizer(ChatModel teacher, int k, int keep, int batch) {
        TeacherPrompt prompt = new TeacherPrompt(G, ThinkTags.DEFAULT, TeacherPrompt.Placement.SYSTEM);
        RejectionFilter filter = new RejectionFilter(G, ThinkTags.DEFAULT, new KeywordCoverageJudge(G),
                RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE), keep);
        return new Synthesizer(prompt, teacher, filter, k, SAMPLING, batch, EvalProgress.silent());
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void writesKeptSamplesWithProvenanceRejectedOnesAndASummary() throws Exception {
        QuerySet queries = new QuerySet(harmful(4), benign(4));
        Synthesizer.Outputs out = Synthesizer.Outputs.beside(tmp.resolve("srg.jsonl"));
        ScriptedChatModel teacher = new ScriptedChatModel("teacher-x", SynthesizerTest::script);
        AcceptanceReport report = synthesizer(teacher, 2, 1, 3).run(queries, out, JSON.createObjectNode().put("note", "test"));

        // Every query got k = 2 samples, each prompt holding every guideline and the query.
        assertEquals(16, teacher.calls().size());
        for (ScriptedChatModel.Call call : teacher.calls()) {
            String system = call.conversation().messages().get(0).content();
            G.guidelines().forEach(g -> assertTrue(system.contains(g.question()), g.name()));
        }

        List<JsonNode> sft = lines(out.sft());
        // 7 of 8 queries keep one sample (harmful 1 is always answered, so never accepted).
        assertEquals(7, sft.size());
        JsonNode first = sft.get(0);
        assertEquals("harmful request number 0", first.at("/messages/0/content").asText());
        assertEquals("user", first.at("/messages/0/role").asText());
        String target = first.at("/messages/1/content").asText();
        assertTrue(target.startsWith("<think>\nintent:") && target.endsWith("</think>\n\n" + Replies.REFUSAL), target);
        JsonNode m = first.get("metadata");
        assertEquals("teacher-x", m.get("teacher").asText());
        assertEquals(G.sha256(), m.get("guidelines_sha256").asText());
        assertEquals(42, m.get("seed").asLong());
        assertEquals("h0", m.get("id").asText());
        assertTrue(m.get("harmful").asBoolean());
        assertEquals(0, m.get("sample_index").asInt());
        assertEquals("srg", m.get("kind").asText());

        List<JsonNode> rejected = lines(out.rejected());
        Set<String> reasons = rejected.stream().map(r -> r.at("/reasons/0").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("harmful-not-refused", "unclosed-tag"), reasons);
        assertEquals(report.samples() - report.accepted(), rejected.size());

        JsonNode summary = JSON.readTree(out.summary().toFile());
        assertEquals(Synthesizer.SUMMARY_SCHEMA, summary.get("schema").asText());
        JsonNode acc = summary.get("acceptance");
        assertEquals(16, acc.get("samples").asInt());
        assertEquals(2, acc.at("/rejections/harmful-not-refused/samples").asInt());
        assertEquals(4, acc.at("/rejections/unclosed-tag/samples").asInt());
        assertEquals(0, acc.at("/rejections/guideline-missing/samples").asInt());
        assertEquals(12, acc.at("/guidelines/intent/checked").asInt());
        assertEquals(1.0, acc.at("/guidelines/policy/addressed_rate").asDouble());
        assertEquals(2, acc.at("/by_category/harmful~1chemical/queries").asInt());
        assertEquals(1, acc.at("/by_category/harmful~1cyber/queries_kept").asInt());
        assertEquals(4, acc.at("/by_category/benign~1uncategorized/queries_kept").asInt());
        assertEquals("test/h1", acc.at("/queries_without_samples/0").asText());
        assertEquals(7, summary.at("/output/queries").asInt());
        assertEquals("test", summary.at("/config/note").asText());
        assertEquals(8, summary.at("/input/queries").asInt());
    }

    /** A teacher that dies (like a killed process) on its n-th call. */
    private static final class Crashing implements ChatModel {
        final ChatModel inner;
        final int dieOn;
        int calls;

        Crashing(ChatModel inner, int dieOn) {
            this.inner = inner;
            this.dieOn = dieOn;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
            if (++calls == dieOn) {
                throw new IllegalStateException("killed");
            }
            return inner.sample(requests, params);
        }
    }

    @Test
    void aKilledRunResumesWithoutAskingTheTeacherAgainForFinishedQueries() throws Exception {
        QuerySet queries = new QuerySet(harmful(5), benign(5));
        Synthesizer.Outputs out = Synthesizer.Outputs.beside(tmp.resolve("srg.jsonl"));
        Path cache = tmp.resolve("srg.cache");

        ScriptedChatModel first = new ScriptedChatModel("teacher", SynthesizerTest::script);
        try (RunStore store = RunStore.open(cache)) {
            Synthesizer s = synthesizer(new CachedChatModel(new Crashing(first, 3), store), 2, 1, 3);
            assertThrows(IllegalStateException.class, () -> s.run(queries, out, JSON.createObjectNode()));
        }
        assertEquals(12, first.calls().size(), "two batches of three queries, two samples each, before the kill");
        assertFalse(Files.exists(out.sft()), "no output before the run finishes");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary files are cleaned up");
        }

        ScriptedChatModel second = new ScriptedChatModel("teacher", SynthesizerTest::script);
        try (RunStore store = RunStore.open(cache)) {
            CachedChatModel cached = new CachedChatModel(second, store);
            synthesizer(cached, 2, 1, 3).run(queries, out, JSON.createObjectNode());
            assertEquals(12, cached.cachedSamples());
        }
        Set<String> askedAgain = second.calls().stream().map(ScriptedChatModel.Call::prompt).collect(Collectors.toSet());
        assertEquals(Set.of("benign request number 1", "benign request number 2", "benign request number 3", "benign request number 4"),
                askedAgain);
        assertEquals(8, second.calls().size());

        String before = Files.readString(out.sft());
        ScriptedChatModel third = new ScriptedChatModel("teacher", SynthesizerTest::script);
        try (RunStore store = RunStore.open(cache)) {
            synthesizer(new CachedChatModel(third, store), 2, 1, 3).run(queries, out, JSON.createObjectNode());
        }
        assertEquals(0, third.calls().size(), "a finished run costs nothing to run again");
        assertEquals(before, Files.readString(out.sft()));
        JsonNode summary = JSON.readTree(out.summary().toFile());
        assertEquals(20, summary.at("/teacher_calls/from_cache").asInt());
        assertEquals(0, summary.at("/teacher_calls/drawn").asInt());

        // A larger k reuses the samples already paid for and asks only for the new indices.
        ScriptedChatModel fourth = new ScriptedChatModel("teacher", SynthesizerTest::script);
        try (RunStore store = RunStore.open(cache)) {
            synthesizer(new CachedChatModel(fourth, store), 3, 1, 3).run(queries, out, JSON.createObjectNode());
        }
        assertEquals(10, fourth.calls().size());
        assertTrue(fourth.calls().stream().allMatch(c -> c.index() == 2));
    }
}
