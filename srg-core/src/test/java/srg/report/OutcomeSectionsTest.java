package srg.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.attack.PlainPrompt;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalProgress;
import srg.eval.EvalResults;
import srg.eval.ResultsJson;
import srg.eval.SamplingMode;
import srg.judge.RefusalKeywordJudge;
import srg.model.SimulatedChatModel;
import srg.store.RunStore;

/** The outcomes, latent-refusal and capability sections: shown when results.json has the data, absent (no error) when it is older. */
class OutcomeSectionsTest {

    private static final List<String> TITLES = List.of("Outcomes at k=1: unsafe, refusal, other", "Latent refusal against N (refusal@k)",
            "Capability on benign requests by form");

    @TempDir
    Path tmp;

    private JsonNode results(Path dir) {
        List<Behavior> harmful = new ArrayList<>();
        List<Behavior> benign = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            harmful.add(new Behavior("h" + i, "harmful " + i, "", true, "t", null));
            benign.add(new Behavior("b" + i, "benign " + i, "", false, "t", null));
        }
        EvalConfig config = EvalConfig.of(harmful, benign, List.of(new PlainPrompt(0)), 8, SamplingMode.FULL, SamplingParams.of(1, 64, 0))
                .withBenignUnderAttacks(true);
        var judge = RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE);
        try (RunStore store = RunStore.open(dir)) {
            EvalResults r = new BestOfNEval(config, store, EvalProgress.silent()).run(List.of(new SimulatedChatModel("sim", 0.5, 1)), judge, judge);
            return ResultsJson.toJson(r, JsonNodeFactory.instance.objectNode().put("n", 8));
        }
    }

    @Test
    void sectionsAppearWithTheirData() throws Exception {
        Path run = tmp.resolve("new");
        ResultsJson.write(run.resolve(ResultsJson.FILE_NAME), results(run));
        String html = RunReport.build(RunReport.folders(List.of(run))).toHtml();
        for (String title : TITLES) {
            assertTrue(html.contains(title), title);
        }
        assertTrue(html.contains("refusal@1 [95% CI]") && html.contains("helpful@1 [95% CI]") && html.contains("other@1 [95% CI]"));
    }

    @Test
    void olderResultsWithoutTheFieldsStillReport() throws Exception {
        Path run = tmp.resolve("old");
        ObjectNode json = (ObjectNode) results(run);
        ObjectNode model = (ObjectNode) json.path("models").path("sim");
        model.remove("capability");
        ((ObjectNode) model.path("attacks").path("none")).remove(List.of("outcomes_at_1", "refusal_at_k", "refusal_ci95_at_k"));
        ResultsJson.write(run.resolve(ResultsJson.FILE_NAME), json);
        String html = RunReport.build(RunReport.folders(List.of(run))).toHtml();
        assertTrue(html.contains("ASR@N [95% CI]"));
        for (String title : TITLES) {
            assertFalse(html.contains(title), title);
        }
    }
}
