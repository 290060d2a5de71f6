package srg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.PlainPrompt;
import srg.attack.ScriptedAttack;
import srg.attack.ScriptedChatModel;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.judge.Judge;
import srg.judge.JudgeInput;
import srg.judge.Judgment;
import srg.judge.Verdict;
import srg.store.RunStore;

/** Outcomes, latent refusal and capability through the whole pipeline, with a scripted model and judge. */
class OutcomeEvalTest {

    private static final SamplingParams SAMPLING = SamplingParams.of(1.0, 64, 0);

    @TempDir
    Path tmp;

    /** Reads the scripted answers: UNSAFE, REFUSE, HELP (helpful), anything else is other. */
    private static final class ScriptJudge implements Judge {
        private final boolean refusals;
        private final boolean helpfulness;

        ScriptJudge(boolean refusals, boolean helpfulness) {
            this.refusals = refusals;
            this.helpfulness = helpfulness;
        }

        @Override
        public String id() {
            return "script";
        }

        @Override
        public boolean reportsRefusal() {
            return refusals;
        }

        @Override
        public boolean reportsHelpfulness() {
            return helpfulness;
        }

        @Override
        public List<Judgment> judge(List<JudgeInput> inputs) {
            return inputs.stream().map(in -> {
                String r = in.response();
                Verdict v = r.startsWith("UNSAFE") ? Verdict.UNSAFE : Verdict.SAFE;
                return new Judgment(v, refusals ? r.startsWith("REFUSE") : null, null, "", helpfulness ? r.startsWith("HELP") : null);
            }).toList();
        }
    }

    private static List<Behavior> behaviors(String prefix, int count, boolean harmful) {
        List<Behavior> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Behavior(prefix + i, prefix + " request " + i, "c", harmful, "test", null));
        }
        return out;
    }

    /**
     * Harmful prompt h0 answers other, unsafe, refusal, then other; h1 is always unsafe; h2 always
     * refuses; h3 answers unsafe, then other forever.
     */
    private static final String[][] HARMFUL_SCRIPT = {
        {"OTHER", "UNSAFE", "REFUSE", "OTHER"}, {"UNSAFE"}, {"REFUSE"}, {"UNSAFE", "OTHER"}};

    private static ScriptedChatModel harmfulModel() {
        return new ScriptedChatModel("m", (c, index) -> {
            String text = c.lastUserContent();
            String[] script = HARMFUL_SCRIPT[Integer.parseInt(text.substring(text.lastIndexOf(' ') + 1))];
            return script[Math.min(index, script.length - 1)];
        });
    }

    private EvalResults run(Path dir, EvalConfig config, ChatModel model, Judge judge) {
        try (RunStore store = RunStore.open(dir)) {
            return new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(model), judge, judge);
        }
    }

    private static EvalConfig config(SamplingMode mode, int n) {
        return new EvalConfig(behaviors("h", 4, true), List.of(), List.of(new PlainPrompt(0)), "seed=0", n, mode, SAMPLING, 1, 64, 16, 200, 7);
    }

    @Test
    void sequentialRoundsDoubleSoThatNTakesLogarithmicallyManyCalls() {
        // h1 is always unsafe, so it needs all N = 32 samples: rounds of 1, 1, 2, 4, 8 and 16.
        ScriptedChatModel script = harmfulModel();
        List<List<Integer>> calls = new ArrayList<>();
        ChatModel counting = new ChatModel() {
            @Override
            public String id() {
                return script.id();
            }

            @Override
            public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
                calls.add(requests.stream().map(SampleRequest::count).toList());
                return script.sample(requests, params);
            }
        };
        EvalResults r = run(tmp.resolve("run"), config(SamplingMode.SEQUENTIAL, 32), counting, new ScriptJudge(true, false));
        assertEquals(List.of(List.of(1, 1, 1, 1), List.of(1, 1), List.of(2), List.of(4), List.of(8), List.of(16)), calls);
        EvalResults.AttackResults a = r.models().get("m").attacks().get("none");
        assertEquals(0.25, a.all().asr(32), 1e-12, "only h1 is unsafe in all 32");
        assertEquals(0.5, a.all().asr(1), 1e-12);
    }

    @Test
    void sequentialLatentRefusalSamplesOnToTheFirstRefusal() {
        Judge judge = new ScriptJudge(true, false);
        Path dir = tmp.resolve("run");
        ScriptedChatModel plain = harmfulModel();
        EvalResults first = run(dir, config(SamplingMode.SEQUENTIAL, 8), plain, judge);
        // Stops at the first safe sample: h0 after 1, h1 after 8, h2 after 1, h3 after 2.
        assertEquals(12, plain.calls().size());
        EvalResults.AttackResults a = first.models().get("m").attacks().get("none");
        assertNull(a.refusalAtK(), "plain sequential mode cannot see refusal@k");
        assertEquals(0.5, a.outcomes().unsafe(), 1e-12);
        assertEquals(0.25, a.outcomes().refusal(), 1e-12);
        assertEquals(0.25, a.outcomes().other(), 1e-12);

        // The same folder with latent refusal: h0 goes on to its refusal at index 2, h3 to N = 8.
        // Rounds draw as many samples as a prompt has usable: h0 draws index 1, then 2-3 (one
        // past its refusal); h3 draws 2-3, then 4-7.
        ScriptedChatModel latent = harmfulModel();
        EvalResults second = run(dir, config(SamplingMode.SEQUENTIAL, 8).withLatentRefusal(true), latent, judge);
        assertEquals(3 + 6, latent.calls().size(), "only the new samples are drawn");
        EvalResults.AttackResults b = second.models().get("m").attacks().get("none");
        assertEquals(21, b.generated());
        assertArrayEquals(new double[] {0.25, 0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, b.refusalAtK().rates(), 1e-12);
        // ASR is the same whichever rule stopped the sampling.
        assertArrayEquals(a.all().asrAtK(), b.all().asrAtK(), 1e-12);
        assertEquals(0.5, b.all().asr(1), 1e-12);
        assertEquals(0.25, b.all().asr(2), 1e-12);
        assertEquals(a.outcomes().unsafe(), b.outcomes().unsafe(), 1e-12);

        JsonNode json = ResultsJson.toJson(second, JsonNodeFactory.instance.objectNode());
        JsonNode none = json.at("/models/m/attacks/none");
        assertEquals(0.5, none.at("/refusal_at_k/3").asDouble(), 1e-12);
        assertEquals(2, none.at("/refusal_ci95_at_k/8").size());
        assertEquals(0.25, none.at("/outcomes_at_1/refusal").asDouble(), 1e-12);
        assertEquals(2, none.at("/outcomes_at_1/ci95/other").size());
        assertTrue(json.at("/models/m/capability").isNull());
        JsonNode before = ResultsJson.toJson(first, JsonNodeFactory.instance.objectNode()).at("/models/m/attacks/none");
        assertTrue(before.get("refusal_at_k").isNull() && before.get("refusal_ci95_at_k").isNull());
    }

    @Test
    void fullModeEstimatesRefusalAtKFromAllSamples() {
        EvalResults r = run(tmp.resolve("full"), config(SamplingMode.FULL, 4), harmfulModel(), new ScriptJudge(true, false));
        EvalResults.AttackResults a = r.models().get("m").attacks().get("none");
        // h0 has 1 refusal in 4 samples, h2 4 in 4, the others none.
        for (int k = 1; k <= 4; k++) {
            assertEquals((LatentRefusal.someRefusal(4, 1, k) + 1) / 4, a.refusalAtK().at(k), 1e-12, "refusal@" + k);
        }
        // Shares over each prompt's four samples: h0 U R O O, h1 U U U U, h2 R R R R, h3 U O O O.
        assertEquals((0.25 + 1 + 0 + 0.25) / 4, a.outcomes().unsafe(), 1e-12);
        assertEquals((0.25 + 0 + 1 + 0) / 4, a.outcomes().refusal(), 1e-12);
        assertEquals((0.5 + 0 + 0 + 0.75) / 4, a.outcomes().other(), 1e-12);
    }

    @Test
    void judgeWithoutRefusalsHasNoOutcomesAndRejectsLatentRefusal() {
        Judge harmOnly = new ScriptJudge(false, false);
        EvalResults r = run(tmp.resolve("a"), config(SamplingMode.FULL, 2), harmfulModel(), harmOnly);
        assertNull(r.models().get("m").attacks().get("none").outcomes());
        JsonNode json = ResultsJson.toJson(r, JsonNodeFactory.instance.objectNode());
        assertTrue(json.at("/models/m/attacks/none/outcomes_at_1").isNull());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(tmp.resolve("b"), config(SamplingMode.SEQUENTIAL, 2).withLatentRefusal(true), harmfulModel(), harmOnly));
        assertTrue(e.getMessage().contains("latentRefusal"), e.getMessage());
    }

    /** Wraps a request and fails on behaviors whose id ends in 3. */
    private static final Attack WRAP = new ScriptedAttack("wrap", AttackKind.STATIC, List.of("wrapped: "), Map.of(), b -> b.id().endsWith("3"));

    @Test
    void benignUnderAttacksMeasuresCapabilityByForm() {
        // Plain benign requests get help; wrapped ones are refused when even, answered off the point when odd.
        ScriptedChatModel model = new ScriptedChatModel("m", (c, index) -> {
            String t = c.lastUserContent();
            if (!t.contains("benign")) {
                return "UNSAFE";
            }
            if (!t.startsWith("wrapped")) {
                return "HELP";
            }
            return Integer.parseInt(t.substring(t.lastIndexOf(' ') + 1)) % 2 == 0 ? "REFUSE" : "OTHER";
        });
        EvalConfig config = new EvalConfig(behaviors("h", 4, true), behaviors("benign", 6, false), List.of(new PlainPrompt(0), WRAP),
                "seed=0", 2, SamplingMode.FULL, SAMPLING, 3, 64, 16, 200, 7).withBenignUnderAttacks(true);
        Path dir = tmp.resolve("run");
        EvalResults r = run(dir, config, model, new ScriptJudge(true, true));
        EvalResults.ModelResults m = r.models().get("m");
        // Plain over-refusal is measured on the plain prompts only, as before.
        assertEquals(6, m.benign().all().prompts());
        assertEquals(18, m.benign().all().samples());
        assertEquals(List.of(PlainPrompt.NAME, "wrap"), List.copyOf(m.capability().keySet()));
        CapabilityMetrics plain = m.capability().get(PlainPrompt.NAME);
        assertEquals(1.0, plain.helpfulAt1(), 1e-12);
        assertEquals(0.0, plain.refusal().refusalRate(), 1e-12);
        CapabilityMetrics wrapped = m.capability().get("wrap");
        // benign3 cannot be wrapped: 5 prompts, benign0, 2 and 4 refused.
        assertEquals(5, wrapped.prompts());
        assertEquals(15, wrapped.samples());
        assertEquals(0.0, wrapped.helpfulAt1(), 1e-12);
        assertEquals(0.6, wrapped.refusal().refusalRate(), 1e-12);
        // The benign attack failure is not charged to the harmful attack.
        assertEquals(1, m.attacks().get("wrap").attackFailures());
        try (RunStore store = RunStore.open(dir)) {
            assertEquals(5, store.prompts(PromptRole.BENIGN, "wrap", "seed=0").size());
        }

        JsonNode json = ResultsJson.toJson(r, JsonNodeFactory.instance.objectNode());
        JsonNode w = json.at("/models/m/capability/wrap");
        assertEquals(0.0, w.get("helpful_at_1").asDouble(), 1e-12);
        assertEquals(0.6, w.get("refusal_rate").asDouble(), 1e-12);
        assertEquals(2, w.get("refusal_ci95").size());
        assertEquals(2, w.get("helpful_ci95").size());
        assertEquals(5, w.get("prompts").asInt());
        assertEquals(15, w.get("samples").asInt());

        // A refusal judge that does not say whether the help was given: helpful@1 is null.
        EvalResults silent = run(tmp.resolve("silent"), config, model, new ScriptJudge(true, false));
        assertNull(silent.models().get("m").capability().get("wrap").helpfulAt1());
        assertTrue(ResultsJson.toJson(silent, JsonNodeFactory.instance.objectNode()).at("/models/m/capability/wrap/helpful_at_1").isNull());
    }
}
