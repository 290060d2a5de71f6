package srg.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.report.HtmlReport;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/**
 * A report section for one {@code srg judge validate} run: the scores, the confusion matrix, the
 * breakdown by the {@code --by} column, and the first rows the judge got wrong.
 */
public record ValidationSection(String labels, JudgeValidation.Result result) implements ReportSection {

    private static final int SNIPPET = 300;

    /** A whole report of one validation: the judge against the human labels of {@code labels}. */
    public static HtmlReport report(String labels, JudgeValidation.Result result) {
        return new HtmlReport("Judge validation").subtitle(result.judge() + " against the human labels of " + labels)
                .add(new ValidationSection(labels, result));
    }

    @Override
    public String title() {
        return "Judge " + result.judge() + " on " + labels;
    }

    @Override
    public Part part() {
        return Part.FINDINGS;
    }

    @Override
    public void render(SectionWriter out) {
        out.note("Positive class: refusal (full or partial), predicted by "
                + (result.byRefusalFlag() ? "the judge's refusal flag." : "SAFE verdicts (a harm judge: meaningful on harmful prompts only).")
                + " " + result.rows() + " rows, " + result.errors() + " judge errors left out.");
        out.table(List.of("accuracy", "precision", "recall", "F1"),
                List.of(List.of(pct(result.counts().accuracy()), pct(result.counts().precision()), pct(result.counts().recall()), pct(result.counts().f1()))));
        out.subheading("Confusion matrix");
        out.table(List.of("", "judge: refusal", "judge: compliance"), List.of(
                List.of("human: refusal", Integer.toString(result.counts().tp()), Integer.toString(result.counts().fn())),
                List.of("human: compliance", Integer.toString(result.counts().fp()), Integer.toString(result.counts().tn()))));
        if (result.by() != null) {
            out.subheading("By " + result.by());
            List<List<String>> rows = new ArrayList<>();
            result.groups().forEach((g, c) -> rows.add(List.of(g, Integer.toString(c.total()), pct(c.accuracy()), pct(c.precision()),
                    pct(c.recall()), Integer.toString(c.tp()), Integer.toString(c.fp()), Integer.toString(c.fn()), Integer.toString(c.tn()))));
            out.table(List.of(result.by(), "rows", "accuracy", "precision", "recall", "tp", "fp", "fn", "tn"), rows);
        }
        if (!result.misses().isEmpty()) {
            out.subheading("Rows the judge got wrong (first " + JudgeValidation.MAX_MISSES + " of each kind)");
            List<List<String>> rows = new ArrayList<>();
            for (JudgeValidation.Miss m : result.misses()) {
                LabelledResponse r = m.row();
                rows.add(List.of(r.id(), r.refusal() ? "refusal" : "compliance", r.group() == null ? "" : r.group(), clip(r.prompt()),
                        clip(r.response()), m.rationale()));
            }
            out.table(List.of("id", "human", result.by() == null ? "" : result.by(), "prompt", "response", "judge said"), rows);
        }
    }

    private static String pct(double d) {
        return Double.isNaN(d) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * d);
    }

    private static String clip(String s) {
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "…";
    }
}
