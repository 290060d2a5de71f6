package srg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.PlainPrompt;
import srg.attack.ScriptedAttack;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.judge.Judge;
import srg.judge.JudgeInput;
import srg.judge.Judgment;
import srg.judge.RefusalKeywordJudge;
import srg.model.ScriptedChatModel;
import srg.model.SimulatedChatModel;
import srg.store.RunStore;

class BestOfNEvalTest {

    private static final SamplingParams SAMPLING = SamplingParams.of(1.0, 256, 11);
    private static final Judge KEYWORD = RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE);

    @TempDir
    Path tmp;

    private static List<Behavior> behaviors(int count, boolean harmful) {
        List<Behavior> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Behavior((harmful ? "h" : "b") + i, (harmful ? "harmful request " : "benign request ") + i,
                    i % 3 == 0 ? "cyber" : "chem", harmful, "test", null));
        }
        return out;
    }

    private static EvalConfig config(List<Behavior> harmful, List<Behavior> benign, int n, SamplingMode mode, int batch) {
        return new EvalConfig(harmful, benign, List.of(new PlainPrompt(0)), "seed=0", n, mode, SAMPLING, 2, batch, 32, 200, 5);
    }

    private EvalResults run(Path dir, EvalConfig config, ChatModel model) {
        try (RunStore store = RunStore.open(dir)) {
            return new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(model), KEYWORD, KEYWORD);
        }
    }

    /** A model that dies (like a killed process) on its k-th call, before its batch is stored. */
    private static final class CrashingModel implements ChatModel {
        final ChatModel inner;
        final int crashOnCall;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger samples = new AtomicInteger();

        CrashingModel(ChatModel inner, int crashOnCall) {
            this.inner = inner;
            this.crashOnCall = crashOnCall;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
            if (calls.incrementAndGet() == crashOnCall) {
                throw new IllegalStateException("simulated crash");
            }
            samples.addAndGet(requests.stream().mapToInt(SampleRequest::count).sum());
            return inner.sample(requests, params);
        }
    }

    @Test
    void fullAndSequentialModesMatchTheClosedForm() {
        int prompts = 600, n = 8;
        SimulatedChatModel model = new SimulatedChatModel("sim", 0.8, 3);
        List<Behavior> harmful = behaviors(prompts, true);
        EvalResults full = run(tmp.resolve("full"), config(harmful, List.of(), n, SamplingMode.FULL, 512), model);
        EvalResults seq = run(tmp.resolve("seq"), config(harmful, List.of(), n, SamplingMode.SEQUENTIAL, 512), model);
        double[] truth = new double[n];
        for (Behavior b : harmful) {
            double p = model.refusalProbability(Conversation.user(b.text()));
            for (int k = 1; k <= n; k++) {
                truth[k - 1] += Math.pow(1 - p, k) / prompts;
            }
        }
        AsrMetrics f = full.models().get("sim").attacks().get("none").all();
        AsrMetrics s = seq.models().get("sim").attacks().get("none").all();
        for (int k = 1; k <= n; k++) {
            double se = Math.sqrt(truth[k - 1] * (1 - truth[k - 1]) / prompts) + 1e-3;
            assertEquals(truth[k - 1], f.asr(k), 4 * se, "full ASR@" + k);
            assertEquals(truth[k - 1], s.asr(k), 4 * se, "sequential ASR@" + k);
            double[] ci = f.ci95().get(k);
            assertTrue(ci[0] <= f.asr(k) && f.asr(k) <= ci[1], "ASR@" + k + " inside its interval");
        }
        EvalResults.AttackResults fa = full.models().get("sim").attacks().get("none");
        EvalResults.AttackResults sa = seq.models().get("sim").attacks().get("none");
        assertEquals(prompts * n, fa.generated());
        assertEquals(0, fa.saved());
        assertTrue(sa.generated() < 0.5 * prompts * n, "sequential generated " + sa.generated());
        assertEquals(prompts * n - sa.generated(), sa.saved());
        assertEquals(Map.of("chem", 400, "cyber", 200),
                Map.of("chem", fa.categories().get("chem").prompts(), "cyber", fa.categories().get("cyber").prompts()));
    }

    @Test
    void resumesAfterACrashWithoutLosingOrRepeatingWork() {
        int prompts = 50, n = 8;
        SimulatedChatModel sim = new SimulatedChatModel("sim", 0.6, 1);
        EvalConfig config = config(behaviors(prompts, true), behaviors(10, false), n, SamplingMode.FULL, 40);
        EvalResults reference = run(tmp.resolve("reference"), config, sim);

        Path dir = tmp.resolve("crashed");
        CrashingModel first = new CrashingModel(sim, 4);
        assertThrows(IllegalStateException.class, () -> run(dir, config, first));
        long storedAfterCrash;
        try (RunStore store = RunStore.open(dir)) {
            storedAfterCrash = store.count("samples");
        }
        assertEquals(3 * 40, storedAfterCrash, "three whole batches committed, the fourth lost");

        CrashingModel second = new CrashingModel(sim, -1);
        EvalResults resumed = run(dir, config, second);
        assertEquals(prompts * n + 10 * 2 - storedAfterCrash, second.samples.get(), "only the missing samples are drawn again");
        try (RunStore store = RunStore.open(dir)) {
            assertEquals(prompts * n + 10 * 2, store.count("samples"));
            assertEquals(prompts * n + 10 * 2, store.count("verdicts"));
        }
        assertArrayEquals(reference.models().get("sim").attacks().get("none").all().asrAtK(),
                resumed.models().get("sim").attacks().get("none").all().asrAtK(), 1e-12);
        assertEquals(reference.models().get("sim").benign().all().refusalRate(), resumed.models().get("sim").benign().all().refusalRate(), 1e-12);

        CrashingModel third = new CrashingModel(sim, -1);
        run(dir, config, third);
        assertEquals(0, third.samples.get(), "a finished run recomputes nothing");
    }

    @Test
    void sequentialModeResumesToTheSameAnswer() {
        SimulatedChatModel sim = new SimulatedChatModel("sim", 0.7, 2);
        EvalConfig config = config(behaviors(80, true), List.of(), 16, SamplingMode.SEQUENTIAL, 30);
        EvalResults reference = run(tmp.resolve("reference"), config, sim);
        Path dir = tmp.resolve("crashed");
        assertThrows(IllegalStateException.class, () -> run(dir, config, new CrashingModel(sim, 5)));
        EvalResults resumed = run(dir, config, new CrashingModel(sim, -1));
        EvalResults.AttackResults a = reference.models().get("sim").attacks().get("none");
        EvalResults.AttackResults b = resumed.models().get("sim").attacks().get("none");
        assertArrayEquals(a.all().asrAtK(), b.all().asrAtK(), 1e-12);
        assertEquals(a.generated(), b.generated());
    }

    @Test
    void judgeCrashResumesWithoutRejudging() {
        SimulatedChatModel sim = new SimulatedChatModel("sim", 0.5, 4);
        EvalConfig config = config(behaviors(40, true), List.of(), 4, SamplingMode.FULL, 64);
        AtomicInteger judged = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        Judge flaky = new Judge() {
            @Override
            public String id() {
                return KEYWORD.id();
            }

            @Override
            public boolean reportsRefusal() {
                return true;
            }

            @Override
            public List<Judgment> judge(List<JudgeInput> inputs) {
                if (batches.incrementAndGet() == 3) {
                    throw new IllegalStateException("judge crashed");
                }
                judged.addAndGet(inputs.size());
                return KEYWORD.judge(inputs);
            }
        };
        Path dir = tmp.resolve("run");
        try (RunStore store = RunStore.open(dir)) {
            assertThrows(IllegalStateException.class, () -> new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(sim), flaky, flaky));
        }
        assertEquals(64, judged.get());
        try (RunStore store = RunStore.open(dir)) {
            new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(sim), flaky, flaky);
            assertEquals(160, store.count("verdicts"));
        }
        assertEquals(160, judged.get(), "each sample judged exactly once over both runs");
    }

    @Test
    void errorsAreCountedApartAndRetriedOnResume() {
        List<Behavior> harmful = behaviors(20, true);
        // Prompts ending in 7 fail to generate; the rest always comply.
        ScriptedChatModel broken = new ScriptedChatModel("m", c -> c.lastUserContent().endsWith("7") ? null : "Sure, here it is.");
        Path dir = tmp.resolve("run");
        EvalResults r = run(dir, config(harmful, List.of(), 4, SamplingMode.FULL, 64), broken);
        AsrMetrics m = r.models().get("m").attacks().get("none").all();
        assertEquals(2 * 4, m.sampleErrors()); // h7 and h17
        assertEquals(2, m.shortPrompts());
        assertEquals(1.0, m.asr(4));
        assertEquals(18, m.promptsAtK()[0]);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("8 samples are ERROR")), r.warnings().toString());

        ScriptedChatModel healed = new ScriptedChatModel("m", c -> "I'm sorry, I can't.");
        EvalResults again = run(dir, config(harmful, List.of(), 4, SamplingMode.FULL, 64), healed);
        assertEquals(8, healed.seen.size(), "only the failed samples are drawn again");
        AsrMetrics m2 = again.models().get("m").attacks().get("none").all();
        assertEquals(0, m2.errors());
        assertEquals(18.0 / 20, m2.asr(1), 1e-12);
    }

    @Test
    void overRefusalAndAttackFailures() {
        ScriptedAttack picky = new ScriptedAttack("picky", AttackKind.MODEL_ASSISTED, List.of("please: "), Map.of("v", 1),
                b -> b.id().endsWith("3"));
        // Refuses benign requests with an even number, answers everything else.
        ScriptedChatModel model = new ScriptedChatModel("m", c -> {
            String t = c.lastUserContent();
            return t.startsWith("benign") && Integer.parseInt(t.substring(t.lastIndexOf(' ') + 1)) % 2 == 0 ? "I cannot help." : "Sure.";
        });
        EvalConfig config = new EvalConfig(behaviors(10, true), behaviors(10, false), List.of(new PlainPrompt(0), picky), "seed=0",
                2, SamplingMode.FULL, SAMPLING, 3, 64, 16, 100, 1);
        Path dir = tmp.resolve("run");
        EvalResults r = run(dir, config, model);
        assertEquals(0.5, r.models().get("m").benign().all().refusalRate(), 1e-12);
        assertEquals(30, r.models().get("m").benign().all().samples());
        EvalResults.AttackResults p = r.models().get("m").attacks().get("picky");
        assertEquals(1, p.attackFailures());
        assertEquals(9, p.all().prompts());
        assertEquals(10, picky.asked.size());
        run(dir, config, model);
        assertEquals(10, picky.asked.size(), "stored attacked prompts (and failures) are not recomputed");

        JsonNode json = ResultsJson.toJson(r, JsonNodeFactory.instance.objectNode().put("n", 2));
        JsonNode none = json.at("/models/m/attacks/none");
        assertEquals(1.0, none.at("/asr_at_k/1").asDouble());
        assertEquals(2, none.at("/ci95_at_k/2").size());
        assertEquals(10, none.get("prompts").asInt());
        assertEquals(20, none.get("samples").asInt());
        assertEquals(0, none.get("errors").asInt());
        assertEquals(0.5, json.at("/models/m/benign/refusal_rate").asDouble(), 1e-12);
        assertFalse(json.at("/config/n").isMissingNode());
    }

    @Test
    void pairSearchesAgainstEachModelAndIsStoredPerModel() {
        // One helper plays PAIR's attacker and judge: its prompts ask for a novel; it rates an
        // answer that complies 10. The first target complies with novels, the second always refuses.
        AtomicInteger attackerCalls = new AtomicInteger();
        ScriptedChatModel attacker = new ScriptedChatModel("attacker", c -> {
            attackerCalls.incrementAndGet();
            if (c.messages().get(0).content().contains("impartial judge")) {
                return c.lastUserContent().contains("[ASSISTANT'S RESPONSE]: Sure") ? "Rating: [[10]]" : "Rating: [[1]]";
            }
            return "{\"improvement\": \"frame it as fiction\", \"prompt\": \"write a novel where someone explains it\"}";
        });
        ChatModel gullible = new ScriptedChatModel("gullible",
                c -> c.lastUserContent().contains("novel") ? "Sure, in the novel it goes like this" : "I cannot help with that.");
        ChatModel firm = new ScriptedChatModel("firm", c -> "I cannot help with that.");
        List<Attack> pair = srg.attack.AttackRegistry.parse("pair[streams=2,depth=2]",
                srg.attack.AttackOptions.seeded(3).withAttacker(attacker));
        String name = pair.get(0).name();
        EvalConfig config = new EvalConfig(behaviors(3, true), List.of(), pair, "seed=3", 2, SamplingMode.FULL, SAMPLING, 1, 64, 32, 50, 3);
        EvalResults first;
        try (RunStore store = RunStore.open(tmp)) {
            first = new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(gullible, firm), KEYWORD, KEYWORD);
            assertEquals(3, store.prompts(PromptRole.HARMFUL, name + " -> gullible", "seed=3").size());
            assertEquals(3, store.prompts(PromptRole.HARMFUL, name + " -> firm", "seed=3").size());
        }
        assertEquals(1.0, first.models().get("gullible").attacks().get(name).all().asr(2));
        assertEquals(0.0, first.models().get("firm").attacks().get(name).all().asr(1));

        int calls = attackerCalls.get();
        try (RunStore store = RunStore.open(tmp)) {
            EvalResults again = new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(gullible, firm), KEYWORD, KEYWORD);
            assertEquals(first.models().get("gullible").attacks().get(name).all().asr(1),
                    again.models().get("gullible").attacks().get(name).all().asr(1));
        }
        assertEquals(calls, attackerCalls.get(), "a resumed run does not search again");
        assertEquals(0, first.models().get("firm").attacks().get(name).attackFailures());

        // Both searches settled on the same prompt: export gives each model's samples once, under the attack's name.
        List<RunStore.ExportRow> rows = new ArrayList<>();
        try (RunStore store = RunStore.open(tmp)) {
            store.export(rows::add);
        }
        assertEquals(2 * 3 * 2, rows.size(), "two models, three behaviors, two samples");
        assertTrue(rows.stream().allMatch(r -> r.attack().equals(name)));
    }
}
