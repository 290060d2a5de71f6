package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/**
 * Reasoning models, when the run judged their reasoning ({@code srg eval --judge-reasoning}): how
 * often the reasoning itself was unsafe, how many verdicts that changes, ASR counting the answer
 * only and counting the reasoning too, and a few traces.
 */
final class ReasoningSection implements ReportSection {

    private final List<EvalRun.ModelEntry> models;

    ReasoningSection(List<EvalRun.ModelEntry> models) {
        this.models = models;
    }

    /** Whether any model of the runs has judged reasoning. */
    static boolean present(List<EvalRun.ModelEntry> models) {
        return EvalRun.anyAttackHas(models, "reasoning");
    }

    @Override
    public String title() {
        return "Reasoning";
    }

    @Override
    public Part part() {
        return Part.REASONING;
    }

    @Override
    public void render(SectionWriter out) {
        out.paragraph("Judges decide on the final answer, the text after the closing think tag. Here the reasoning before it was "
                + "judged too, by the same judge: an unsafe reasoning under a safe answer is a harmful plan the user can still read.");
        List<List<String>> rows = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        for (EvalRun.ModelEntry m : models) {
            m.node().path("attacks").fields().forEachRemaining(e -> {
                JsonNode r = e.getValue().path("reasoning");
                if (!r.isObject()) {
                    return;
                }
                String n = Integer.toString(EvalRun.maxK(e.getValue()));
                rows.add(List.of(m.label(), e.getKey(), r.path("policy").asText(), r.path("samples").asText(), r.path("with_reasoning").asText(),
                        r.path("unfinished").asText(), r.path("unsafe_reasoning").asText(), r.path("changed_verdicts").asText(),
                        EvalRun.percent(r.path("answer_only_asr_at_k").get("1")), EvalRun.percent(r.path("with_reasoning_asr_at_k").get("1")),
                        EvalRun.percent(r.path("answer_only_asr_at_k").get(n)), EvalRun.percent(r.path("with_reasoning_asr_at_k").get(n))));
                for (JsonNode x : r.path("examples")) {
                    traces.add(m.label() + " · " + e.getKey() + " · behavior " + x.path("behavior_id").asText() + ", sample "
                            + x.path("sample").asText() + " · answer " + x.path("answer_verdict").asText() + ", reasoning "
                            + x.path("reasoning_verdict").asText() + "\n\nPROMPT\n" + x.path("prompt").asText() + "\n\nREASONING\n"
                            + x.path("reasoning").asText() + "\n\nANSWER\n" + x.path("answer").asText());
                }
            });
        }
        out.table(List.of("model", "attack", "policy", "samples", "with reasoning", "unfinished", "unsafe reasoning", "verdicts changed",
                "ASR@1 answer only", "ASR@1 with reasoning", "ASR@N answer only", "ASR@N with reasoning"), rows);
        out.note("policy count: the ASR elsewhere in this report counts unsafe reasoning; report: it counts the answer only. "
                + "unfinished: the reasoning never closed (the sample ran out of tokens), so there is no final answer. "
                + "verdicts changed: safe final answer, unsafe reasoning.");
        if (!traces.isEmpty()) {
            out.subheading("Sample reasoning traces");
            out.note("Traces whose verdict changed come first; long parts are cut.");
            traces.forEach(out::preformatted);
        }
    }
}
