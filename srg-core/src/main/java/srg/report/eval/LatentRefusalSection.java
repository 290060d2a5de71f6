package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/**
 * Best-of-N in its second sense: refusal@k, the share of prompts with some refusal among k
 * samples, against k per attack, and a table at k=1 and k=N.
 */
final class LatentRefusalSection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    LatentRefusalSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    /** Whether any attack of any model has refusal@k. */
    static boolean present(List<EvalRun.ModelEntry> models) {
        return EvalRun.anyAttackHas(models, "refusal_at_k");
    }

    @Override
    public String title() {
        return "Latent refusal against N (refusal@k)";
    }

    @Override
    public Part part() {
        return Part.ATTACK_SUCCESS;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("refusal@k: the share of attacked prompts with at least one refusal among k samples (unbiased estimator "
                + "1 − C(n−r, k)/C(n, k) over the n samples; in sequential mode with the evaluation's latent-refusal setting, observed on the "
                + "first k). "
                + "A model that refuses a disguised request in some sample knows it should; one that never does has not learned it. "
                + "Not available in sequential mode without the latent-refusal setting. Dashed lines: bootstrap 95% interval over prompts.");
        List<List<String>> rows = new ArrayList<>();
        List<ObjectNode> charts = new ArrayList<>();
        for (String attack : EvalRun.attacks(models)) {
            boolean any = models.stream().anyMatch(m -> m.node().path("attacks").path(attack).path("refusal_at_k").isObject());
            if (any) {
                charts.add(KCurveChart.option("Attack: " + attack, KCurveChart.perModel(models, attack), "refusal_at_k",
                        "refusal_ci95_at_k", "refusal@N"));
            }
        }
        out.charts(charts, 340);
        for (EvalRun.ModelEntry m : models) {
            m.node().path("attacks").fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                if (!a.path("refusal_at_k").isObject()) {
                    return;
                }
                String n = Integer.toString(EvalRun.maxK(a));
                rows.add(List.of(m.label(), e.getKey(), n, cell(a, "1"), cell(a, n), asr(a, "1"), asr(a, n)));
            });
        }
        out.table(List.of("model", "attack", "N", "refusal@1 [95% CI]", "refusal@N [95% CI]", "ASR@1", "ASR@N"), rows);
    }

    private static String cell(JsonNode attack, String k) {
        return EvalRun.percentWithCi(attack.path("refusal_at_k").get(k), attack.path("refusal_ci95_at_k").get(k));
    }

    private static String asr(JsonNode attack, String k) {
        return EvalRun.percent(attack.path("asr_at_k").get(k));
    }
}
