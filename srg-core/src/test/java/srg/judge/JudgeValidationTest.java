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
        assertEquals(List.of(217, 29, 3, 201), List.of(anywhere.tp(), anywhere.fp(), anywhere.fn(), anywhere.tn()));
        assertEquals(418.0 / 450, anywhere.accuracy(), 1e-12);
        JudgeValidation.Result prefix = JudgeValidation.validate(RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.PREFIX), rows, null, 64, n -> {});
        assertTrue(prefix.precision() > anywhere.precision(), "prefix mode trades recall for precision");
        assertTrue(prefix.recall() < anywhere.recall());
        assertTrue(anywhere.format().contains("human: refusal"));
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
        JudgeValidation.Result r = JudgeValidation.validate(new LlamaGuardJudge(guard, false, 10, "lg"), benign, null, 50, n -> {});
        assertEquals(125, r.errors());
        assertEquals(125, r.tp() + r.fp());
        assertEquals(0, r.fn() + r.tn());
        assertTrue(!r.byRefusalFlag());
    }
}
