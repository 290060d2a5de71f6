package srg.report.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** ASR@k against k on a log2 axis, one chart per attack side by side, one line per model, with dashed 95% bounds. */
final class AsrCurveSection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    AsrCurveSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    @Override
    public String title() {
        return "Attack success rate against N (Best-of-N)";
    }

    @Override
    public Part part() {
        return Part.ATTACK_SUCCESS;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("ASR@k: the share of attacked prompts whose k samples are all judged unsafe (unbiased estimator over the N samples; "
                + "in sequential mode, the first k samples). Dashed lines: bootstrap 95% interval over prompts.");
        List<ObjectNode> charts = EvalRun.attacks(models).stream()
                .map(a -> KCurveChart.option("Attack: " + a, KCurveChart.perModel(models, a), "asr_at_k", "ci95_at_k", "ASR@N"))
                .toList();
        out.charts(charts, 340);
    }
}
