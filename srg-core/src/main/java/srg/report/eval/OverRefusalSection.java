package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** Over-refusal on benign prompts: a bar per model, and tables overall and by category. */
final class OverRefusalSection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    OverRefusalSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    @Override
    public String title() {
        return "Over-refusal on benign prompts";
    }

    @Override
    public Part part() {
        return Part.OVER_REFUSAL;
    }

    @Override
    public void render(SectionWriter out) {
        List<EvalRun.ModelEntry> withBenign = models.stream().filter(m -> m.node().path("benign").isObject()).toList();
        if (withBenign.isEmpty()) {
            out.paragraph("No benign set was evaluated (the evaluation's benign setting gives one).");
            return;
        }
        ObjectNode option = new ObjectMapper().createObjectNode();
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("grid").put("left", 60).put("right", 30).put("top", 20).put("bottom", 80);
        ObjectNode xAxis = option.putObject("xAxis").put("type", "category");
        ArrayNode names = xAxis.putArray("data");
        option.putObject("yAxis").put("type", "value").put("min", 0).put("max", 1).put("name", "refusal rate");
        ArrayNode bars = option.putArray("series").addObject().put("type", "bar").put("name", "refusal rate").putArray("data");
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> categoryRows = new ArrayList<>();
        for (EvalRun.ModelEntry m : withBenign) {
            JsonNode b = m.node().path("benign");
            names.add(m.label());
            if (b.path("refusal_rate").isNull()) {
                bars.addNull();
            } else {
                bars.add(b.path("refusal_rate").asDouble());
            }
            rows.add(List.of(m.label(), b.path("judge").asText(), b.path("prompts").asText(), b.path("samples").asText(),
                    EvalRun.percentWithCi(b.get("refusal_rate"), b.get("ci95")), b.path("errors").asText()));
            b.path("categories").fields().forEachRemaining(c -> categoryRows.add(List.of(m.label(), c.getKey(),
                    c.getValue().path("prompts").asText(), EvalRun.percentWithCi(c.getValue().get("refusal_rate"), c.getValue().get("ci95")))));
        }
        xAxis.putObject("axisLabel").put("rotate", withBenign.size() > 4 ? 20 : 0);
        out.chart(option, 300);
        out.table(List.of("model", "refusal judge", "prompts", "samples", "refusal rate [95% CI]", "errors"), rows);
        out.subheading("By category");
        out.table(List.of("model", "category", "prompts", "refusal rate [95% CI]"), categoryRows);
    }
}
