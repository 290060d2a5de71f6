package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** Capability on benign requests by form (plain, and under each attack): helpful@1 and refusal, per model. */
final class CapabilitySection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    CapabilitySection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    /** Whether any model has capability by form (srg eval --benign-under-attacks). */
    static boolean present(List<EvalRun.ModelEntry> models) {
        return models.stream().anyMatch(m -> m.node().path("capability").isObject());
    }

    @Override
    public String title() {
        return "Capability on benign requests by form";
    }

    @Override
    public Part part() {
        return Part.CAPABILITY;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("The benign prompts, plain (form none) and put through each attack, judged by the refusal judge. helpful@1: the share "
                + "of samples that give the help asked for, averaged over prompts (— when the judge does not report helpfulness); "
                + "refusal: the share refused. A model that can no longer answer a disguised benign request is not safe against the "
                + "disguise, it is broken: its low ASR in that form says nothing about safety.");
        List<String> forms = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            m.node().path("capability").fieldNames().forEachRemaining(f -> {
                if (!forms.contains(f)) {
                    forms.add(f);
                }
            });
        }
        boolean helpful = false;
        for (EvalRun.ModelEntry m : models) {
            for (JsonNode c : m.node().path("capability")) {
                helpful |= c.path("helpful_at_1").isNumber();
            }
        }
        // One bar per model and form: helpful@1 when the judge says, else the refusal rate.
        String measure = helpful ? "helpful_at_1" : "refusal_rate";
        ObjectNode option = new ObjectMapper().createObjectNode();
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("legend").put("top", 0);
        option.putObject("grid").put("left", 60).put("right", 30).put("top", 40).put("bottom", 60);
        ArrayNode names = option.putObject("xAxis").put("type", "category").putArray("data");
        forms.forEach(names::add);
        option.putObject("yAxis").put("type", "value").put("min", 0).put("max", 1).put("name", helpful ? "helpful@1" : "refusal rate");
        ArrayNode series = option.putArray("series");
        List<List<String>> rows = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            JsonNode cap = m.node().path("capability");
            if (!cap.isObject()) {
                continue;
            }
            ArrayNode data = series.addObject().put("name", m.label()).put("type", "bar").putArray("data");
            for (String form : forms) {
                JsonNode c = cap.path(form);
                if (c.path(measure).isNumber()) {
                    data.add(c.path(measure).asDouble());
                } else {
                    data.addNull();
                }
                if (c.isObject()) {
                    rows.add(List.of(m.label(), form, c.path("prompts").asText(), c.path("samples").asText(),
                            EvalRun.percentWithCi(c.get("helpful_at_1"), c.get("helpful_ci95")),
                            EvalRun.percentWithCi(c.get("refusal_rate"), c.get("refusal_ci95"))));
                }
            }
        }
        out.chart(option, 320);
        out.table(List.of("model", "form", "prompts", "samples", "helpful@1 [95% CI]", "refusal [95% CI]"), rows);
    }
}
