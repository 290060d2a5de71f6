package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** Failed generations, judge errors and attack failures, and each run's warnings. */
final class ErrorSection implements ReportSection {

    private final List<EvalRun> runs;
    private final List<EvalRun.ModelEntry> models;

    ErrorSection(List<EvalRun> runs, List<EvalRun.ModelEntry> models) {
        this.runs = runs;
        this.models = models;
    }

    @Override
    public String title() {
        return "Errors and warnings";
    }

    @Override
    public Part part() {
        return Part.RUN;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("ERROR samples never count as safe or unsafe: they are left out of every denominator. A resumed full-mode run retries them.");
        List<List<String>> rows = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            m.node().path("attacks").fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                int n = EvalRun.maxK(a);
                int inDenominator = a.path("prompts_at_k").path(Integer.toString(n)).asInt(a.path("prompts").asInt());
                rows.add(List.of(m.label(), e.getKey(), a.path("sample_errors").asText(), a.path("judge_errors").asText(),
                        a.path("attack_failures").asText(), Integer.toString(a.path("prompts").asInt() - inDenominator)));
            });
            JsonNode b = m.node().path("benign");
            if (b.isObject()) {
                rows.add(List.of(m.label(), "(benign)", b.path("errors").asText(), "", "", ""));
            }
        }
        out.table(List.of("model", "attack", "failed generations", "judge errors", "attack failures", "prompts short of N usable samples"), rows);
        for (EvalRun run : runs) {
            List<String> warnings = new ArrayList<>();
            run.results().path("warnings").forEach(w -> warnings.add(w.asText()));
            if (!warnings.isEmpty()) {
                out.subheading("Warnings" + (runs.size() > 1 ? " of " + run.run().label() : ""));
                out.bullets(warnings);
            }
        }
    }
}
