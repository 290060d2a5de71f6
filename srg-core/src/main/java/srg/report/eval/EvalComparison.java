package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import srg.report.Compared;
import srg.report.JsonDifferences;
import srg.report.ReportSection;
import srg.report.ReportSection.Part;
import srg.report.SectionWriter;

/**
 * Two evaluations side by side ({@code srg report --compare}): models and attacks are matched by
 * name; every table gives A, B and B − A; the ASR@N curves of both runs share one chart per
 * attack, a model's colour the same in both, run B dashed.
 */
final class EvalComparison {

    private final EvalRun a;
    private final EvalRun b;
    private final List<String> models;
    private final List<String> attacks;

    EvalComparison(EvalRun a, EvalRun b) {
        this.a = a;
        this.b = b;
        this.models = union(r -> r.results().path("models"));
        Set<String> attacks = new LinkedHashSet<>();
        for (String m : models) {
            model(a, m).path("attacks").fieldNames().forEachRemaining(attacks::add);
            model(b, m).path("attacks").fieldNames().forEachRemaining(attacks::add);
        }
        this.attacks = List.copyOf(attacks);
    }

    List<ReportSection> sections() {
        List<ReportSection> out = new ArrayList<>();
        out.add(ReportSection.of(Part.FINDINGS, "ASR@1 and ASR@N: A, B and B − A", this::asr));
        out.add(ReportSection.of(Part.ATTACK_SUCCESS, "Attack success rate against N: A solid, B dashed", this::curves));
        if (has("capability")) {
            out.add(ReportSection.of(Part.CAPABILITY, "Capability on benign requests by form: A, B and B − A", this::capability));
        }
        if (has("benign")) {
            out.add(ReportSection.of(Part.OVER_REFUSAL, "Over-refusal on benign prompts: A, B and B − A", this::overRefusal));
        }
        out.add(ReportSection.of(Part.RUN, "Configuration: what differs", this::configuration));
        return out;
    }

    private void asr(SectionWriter out) {
        boolean refusal = EvalRun.anyAttackHas(EvalRun.models(List.of(a, b)), "refusal_at_k");
        List<String> header = new ArrayList<>(List.of("model", "attack", "N", "ASR@1 A", "ASR@1 B", "B − A", "ASR@N A", "ASR@N B", "B − A"));
        if (refusal) {
            header.addAll(List.of("refusal@N A", "refusal@N B", "B − A"));
        }
        List<List<String>> means = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (String m : models) {
            // Per model, the mean over the attacks both runs have: the headline the per-attack table breaks down.
            double[] sums = new double[6];
            int[] counts = new int[3];
            for (String attack : attacks) {
                JsonNode x = model(a, m).path("attacks").path(attack);
                JsonNode y = model(b, m).path("attacks").path(attack);
                if (x.isMissingNode() && y.isMissingNode()) {
                    continue;
                }
                // ASR@k is estimated for every k up to a run's N: compare at the largest k both runs have.
                int n = x.isMissingNode() ? EvalRun.maxK(y) : y.isMissingNode() ? EvalRun.maxK(x) : Math.min(EvalRun.maxK(x), EvalRun.maxK(y));
                String k = Integer.toString(n);
                List<Compared> figures = new ArrayList<>(List.of(
                        Compared.rate(x.path("asr_at_k").get("1"), x.path("ci95_at_k").get("1"), y.path("asr_at_k").get("1"), y.path("ci95_at_k").get("1")),
                        Compared.rate(x.path("asr_at_k").get(k), x.path("ci95_at_k").get(k), y.path("asr_at_k").get(k), y.path("ci95_at_k").get(k))));
                if (refusal) {
                    figures.add(Compared.rate(x.path("refusal_at_k").get(k), x.path("refusal_ci95_at_k").get(k),
                            y.path("refusal_at_k").get(k), y.path("refusal_ci95_at_k").get(k)));
                }
                List<String> row = new ArrayList<>(List.of(m, attack, k));
                for (int i = 0; i < figures.size(); i++) {
                    Compared c = figures.get(i);
                    row.addAll(c.cells());
                    if (c.a() != null && c.b() != null) {
                        sums[2 * i] += c.a();
                        sums[2 * i + 1] += c.b();
                        counts[i]++;
                    }
                }
                rows.add(row);
            }
            List<String> mean = new ArrayList<>(List.of(m));
            for (int i = 0; i < (refusal ? 3 : 2); i++) {
                mean.addAll(counts[i] == 0 ? List.of("—", "—", "—")
                        : new Compared(sums[2 * i] / counts[i], null, sums[2 * i + 1] / counts[i], null, true).cells());
            }
            means.add(mean);
        }
        List<String> meanHeader = new ArrayList<>(List.of("model"));
        meanHeader.addAll(header.subList(3, header.size()));
        out.note("Mean over the attacks both runs evaluated, each attack weighted alike.");
        out.table(meanHeader, means);
        out.subheading("Per attack");
        out.note("N: the largest number of samples per prompt both runs drew for the attack (ASR@k is estimated for every k up to "
                + "a run's N). Intervals: each run's bootstrap 95% interval over prompts; * marks differences whose intervals do not overlap.");
        out.table(header, rows);
    }

    private void curves(SectionWriter out) {
        out.note("ASR@k of each model in run A (solid) and run B (dashed), one colour per model. The tables above give the "
                + "intervals.");
        List<ObjectNode> charts = new ArrayList<>();
        for (String attack : attacks) {
            List<KCurveChart.Curve> curves = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                String color = KCurveChart.PALETTE.get(i % KCurveChart.PALETTE.size());
                String m = models.get(i);
                curves.add(new KCurveChart.Curve("A · " + m, model(a, m).path("attacks").path(attack), color, false, false));
                curves.add(new KCurveChart.Curve("B · " + m, model(b, m).path("attacks").path(attack), color, true, false));
            }
            charts.add(KCurveChart.option("Attack: " + attack, curves, "asr_at_k", "ci95_at_k", "ASR@N"));
        }
        out.charts(charts, 340);
    }

    private void capability(SectionWriter out) {
        out.note("helpful@1: the share of samples that give the help asked for, on benign prompts in each form; refusal: the share refused.");
        List<List<String>> rows = new ArrayList<>();
        for (String m : models) {
            Set<String> forms = new LinkedHashSet<>();
            model(a, m).path("capability").fieldNames().forEachRemaining(forms::add);
            model(b, m).path("capability").fieldNames().forEachRemaining(forms::add);
            for (String form : forms) {
                JsonNode x = model(a, m).path("capability").path(form);
                JsonNode y = model(b, m).path("capability").path(form);
                List<String> row = new ArrayList<>(List.of(m, form));
                row.addAll(Compared.rate(x.get("helpful_at_1"), x.get("helpful_ci95"), y.get("helpful_at_1"), y.get("helpful_ci95")).cells());
                row.addAll(Compared.rate(x.get("refusal_rate"), x.get("refusal_ci95"), y.get("refusal_rate"), y.get("refusal_ci95")).cells());
                rows.add(row);
            }
        }
        out.table(List.of("model", "form", "helpful@1 A", "helpful@1 B", "B − A", "refusal A", "refusal B", "B − A"), rows);
    }

    private void overRefusal(SectionWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (String m : models) {
            JsonNode x = model(a, m).path("benign");
            JsonNode y = model(b, m).path("benign");
            List<String> row = new ArrayList<>(List.of(m));
            row.addAll(Compared.rate(x.get("refusal_rate"), x.get("ci95"), y.get("refusal_rate"), y.get("ci95")).cells());
            rows.add(row);
        }
        out.table(List.of("model", "refusal rate A", "refusal rate B", "B − A"), rows);
    }

    private void configuration(SectionWriter out) {
        List<List<String>> differences = JsonDifferences.rows(a.results().path("config"), b.results().path("config"));
        if (differences.isEmpty()) {
            out.paragraph("The two runs were made with the same configuration.");
        } else {
            out.table(List.of("setting", "A", "B"), differences);
        }
        new ConfigSection(List.of(a, b)).render(out);
    }

    private boolean has(String field) {
        return models.stream().anyMatch(m -> model(a, m).path(field).isObject() || model(b, m).path(field).isObject());
    }

    private List<String> union(Function<EvalRun, JsonNode> objects) {
        Set<String> out = new LinkedHashSet<>();
        objects.apply(a).fieldNames().forEachRemaining(out::add);
        objects.apply(b).fieldNames().forEachRemaining(out::add);
        return List.copyOf(out);
    }

    private static JsonNode model(EvalRun run, String name) {
        return run.results().path("models").path(name);
    }
}
