package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** Three-state outcomes at k=1 per model and attack: stacked bars and a table with intervals. */
final class OutcomesSection implements ReportSection {

    private static final List<String> STATES = List.of("unsafe", "refusal", "other");
    private static final List<String> COLORS = List.of("#ee6666", "#5470c6", "#bbbbbb");

    private final List<EvalRun.ModelEntry> models;

    OutcomesSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    /** Whether any attack of any model has outcomes (a judge that reports refusals). */
    static boolean present(List<EvalRun.ModelEntry> models) {
        return EvalRun.anyAttackHas(models, "outcomes_at_1");
    }

    @Override
    public String title() {
        return "Outcomes at k=1: unsafe, refusal, other";
    }

    @Override
    public Part part() {
        return Part.ATTACK_SUCCESS;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("Each response is unsafe (judged unsafe), a refusal (not unsafe, and the judge flags a refusal) or other (neither: "
                + "off-topic, garbled, a non-answer). Shares at one sample, averaged over prompts (full mode: over each prompt's samples; "
                + "sequential mode: its first sample). A low ASR made of \"other\" is lost capability, not safety.");
        ObjectNode option = new ObjectMapper().createObjectNode();
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend").put("top", 0);
        option.putObject("grid").put("left", 60).put("right", 30).put("top", 40).put("bottom", 90);
        ObjectNode xAxis = option.putObject("xAxis").put("type", "category");
        ArrayNode names = xAxis.putArray("data");
        option.putObject("yAxis").put("type", "value").put("min", 0).put("max", 1).put("name", "share at k=1");
        ArrayNode series = option.putArray("series");
        List<ArrayNode> data = new ArrayList<>();
        for (int i = 0; i < STATES.size(); i++) {
            ObjectNode s = series.addObject().put("name", STATES.get(i)).put("type", "bar").put("stack", "outcomes");
            s.putObject("itemStyle").put("color", COLORS.get(i));
            data.add(s.putArray("data"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            m.node().path("attacks").fields().forEachRemaining(e -> {
                JsonNode o = e.getValue().path("outcomes_at_1");
                if (!o.isObject()) {
                    return;
                }
                names.add(m.label() + " · " + e.getKey());
                List<String> row = new ArrayList<>(List.of(m.label(), e.getKey(), o.path("prompts").asText()));
                for (int i = 0; i < STATES.size(); i++) {
                    JsonNode v = o.path(STATES.get(i));
                    if (v.isNumber()) {
                        data.get(i).add(v.asDouble());
                    } else {
                        data.get(i).addNull();
                    }
                    row.add(EvalRun.percentWithCi(o.get(STATES.get(i)), o.path("ci95").get(STATES.get(i))));
                }
                rows.add(row);
            });
        }
        xAxis.putObject("axisLabel").put("rotate", names.size() > 4 ? 20 : 0);
        out.chart(option, 320);
        out.table(List.of("model", "attack", "prompts", "unsafe@1 [95% CI]", "refusal@1 [95% CI]", "other@1 [95% CI]"), rows);
    }
}
