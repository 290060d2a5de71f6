package srg.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import srg.model.ScriptedChatModel;

/** The keyword judge against XSTest's human refusal labels. */
class JudgeValidationTest {

    private static final Path XSTEST = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data/xstest");

    @Test
    void keywordJudgeOnGpt4Completions() {
        List<LabelledResponse> rows = JudgeValidation.readLabels(XSTEST.resolve("xstest_v2_completions_gpt4.csv"), JudgeValidation.Subset.ALL, null);
        assertEquals(450, rows.size());
        assertEquals(220, rows.stream().filter(LabelledResponse::refusal).count()); // 211 full + 9 partial
        JudgeValidation.Result anywhere = JudgeValidation.validate(RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE), rows, null, 64, n -> {});
        // The GCG strings anywhere in the text: counted independently with a short script over the same CSV.
        assertEquals(List.of(217, 29, 3, 201), List.of(anywhere.counts().tp(), anywhere.counts().fp(), anywhere.counts().fn(), anywhere.counts().tn()));
        assertEquals(418.0 / 450, anywhere.counts().accuracy(), 1e-12);
        JudgeValidation.Result prefix = JudgeValidation.validate(RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.PREFIX), rows, null, 64, n -> {});
        assertTrue(prefix.counts().precision() > anywhere.counts().precision(), "prefix mode trades recall for precision");
        assertTrue(prefix.counts().recall() < anywhere.counts().recall());
        assertTrue(anywhere.format().contains("human: refusal"));
    }

    @Test
    void reportHoldsTheScoresAndTheMisses() {
        Path gpt4 = XSTEST.resolve("xstest_v2_completions_gpt4.csv");
        String labels = JudgeValidation.Subset.HARMFUL.describe(gpt4);
        assertEquals(gpt4 + " (harmful prompts)", labels);
        assertEquals(gpt4.toString(), JudgeValidation.Subset.ALL.describe(gpt4));
        List<LabelledResponse> rows = JudgeValidation.readLabels(gpt4, JudgeValidation.Subset.HARMFUL, "type");
        JudgeValidation.Result r = JudgeValidation.validate(RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.PREFIX), rows, "type", 64, n -> {});
        String html = ValidationSection.report(labels, r).toHtml();
        assertTrue(html.contains("Judge validation"), "title");
        assertTrue(html.contains(r.judge() + " against the human labels of " + labels), "subtitle");
        assertTrue(html.contains("Confusion matrix") && html.contains("By type"), "sections");
        assertTrue(html.contains(">" + r.counts().tp() + "<") && html.contains(">" + r.counts().fn() + "<"), "counts");
        assertTrue(!r.misses().isEmpty() && html.contains("Rows the judge got wrong"), "misses");
    }

    @Test
    void subsetsAndHarmJudgesAndErrors() {
        Path llama = XSTEST.resolve("xstest_v2_completions_llama2new.csv");
        assertEquals(200, JudgeValidation.readLabels(llama, JudgeValidation.Subset.HARMFUL, null).size());
        List<LabelledResponse> benign = JudgeValidation.readLabels(llama, JudgeValidation.Subset.BENIGN, null);
        assertEquals(250, benign.size());
        // A harm judge that errs on every other row: errors are left out, SAFE counts as refusal.
        int[] calls = {0};
        ScriptedChatModel guard = new ScriptedChatModel("guard", c -> calls[0]++ % 2 == 0 ? "safe" : "garbled");
        JudgeValidation.Result r = JudgeValidation.validate(new LlamaGuardJudge(guard, null, 10, "lg"), benign, null, 50, n -> {});
        assertEquals(125, r.errors());
        assertEquals(125, r.counts().tp() + r.counts().fp());
        assertEquals(0, r.counts().fn() + r.counts().tn());
        assertTrue(!r.byRefusalFlag());
    }

    @Test
    void breakdownByColumnAndRefusalOnlyFiles() {
        Path gpt4 = XSTEST.resolve("xstest_v2_completions_gpt4.csv");
        List<LabelledResponse> rows = JudgeValidation.readLabels(gpt4, JudgeValidation.Subset.ALL, "final_label");
        JudgeValidation.Result r = JudgeValidation.validate(RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE), rows, "final_label", 64, n -> {});
        assertEquals(List.of("1_full_compliance", "2_full_refusal", "3_partial_refusal"), r.groups().keySet().stream().sorted().toList());
        assertEquals(450, r.groups().values().stream().mapToInt(JudgeValidation.Counts::total).sum());
        assertEquals(9, r.groups().get("3_partial_refusal").total());
        assertEquals(r.counts().fp(), r.groups().get("1_full_compliance").fp());
        assertTrue(r.format().contains("by final_label"));
        assertEquals(Math.min(r.counts().fn(), JudgeValidation.MAX_MISSES) + Math.min(r.counts().fp(), JudgeValidation.MAX_MISSES), r.misses().size());
        srg.UserError e = org.junit.jupiter.api.Assertions.assertThrows(srg.UserError.class,
                () -> JudgeValidation.readLabels(gpt4, JudgeValidation.Subset.ALL, "colour"));
        assertTrue(e.getMessage().startsWith("by: ") && e.getMessage().contains("no column 'colour'"), e.getMessage());
        List<LabelledResponse> refusals = JudgeValidation.readLabels(
                XSTEST.resolve("../refusals/adv_training_behaviors_safe_responses.csv"), JudgeValidation.Subset.ALL, null);
        assertEquals(100, refusals.size());
        assertTrue(refusals.stream().allMatch(LabelledResponse::refusal));
    }
}
