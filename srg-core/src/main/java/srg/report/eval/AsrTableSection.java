package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** ASR@1 and ASR@N per model and attack, then per category. */
final class AsrTableSection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    AsrTableSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    @Override
    public String title() {
        return "ASR@1 and ASR@N";
    }

    @Override
    public Part part() {
        return Part.FINDINGS;
    }

    @Override
    public void render(SectionWriter out) {
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> categoryRows = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            m.node().path("attacks").fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                int n = EvalRun.maxK(a);
                rows.add(List.of(m.label(), e.getKey(), a.path("prompts").asText(), Integer.toString(n),
                        cell(a, 1), cell(a, n), a.path("samples").asText(), a.path("errors").asText(),
                        a.path("generated").asText(), a.path("generations_saved").asText(),
                        a.path("mean_score").isNull() ? "—" : String.format(Locale.ROOT, "%.3f", a.path("mean_score").asDouble())));
                a.path("categories").fields().forEachRemaining(c -> categoryRows.add(List.of(m.label(), e.getKey(), c.getKey(),
                        c.getValue().path("prompts").asText(), cell(c.getValue(), 1), cell(c.getValue(), n), c.getValue().path("errors").asText())));
            });
        }
        out.table(List.of("model", "attack", "prompts", "N", "ASR@1 [95% CI]", "ASR@N [95% CI]", "samples", "errors", "generated",
                "saved vs full", "mean score"), rows);
        out.note("samples: usable (generated and judged) samples; errors: failed generations and judge errors, left out of every denominator; "
                + "saved vs full: generations sequential mode did not need (0 in full mode); mean score: StrongREJECT score when that judge is used.");
        out.subheading("By category");
        out.table(List.of("model", "attack", "category", "prompts", "ASR@1 [95% CI]", "ASR@N [95% CI]", "errors"), categoryRows);
    }

    private static String cell(JsonNode attack, int k) {
        String key = Integer.toString(k);
        return EvalRun.percentWithCi(attack.path("asr_at_k").get(key), attack.path("ci95_at_k").get(key));
    }
}
