package srg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalProgress;
import srg.eval.EvalResults;
import srg.attack.PlainPrompt;
import srg.eval.ResultsJson;
import srg.eval.SamplingMode;
import srg.judge.RefusalKeywordJudge;
import srg.model.SimulatedChatModel;
import srg.store.RunStore;

class RunReportTest {

    @TempDir
    Path tmp;

    private Path evalRun(String name, double refuse) throws Exception {
        Path dir = tmp.resolve(name);
        List<Behavior> harmful = new ArrayList<>();
        List<Behavior> benign = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            harmful.add(new Behavior("h" + i, "harmful " + i, i % 2 == 0 ? "cyber" : "chem", true, "t", null));
            benign.add(new Behavior("b" + i, "benign " + i, "", false, "t", null));
        }
        EvalConfig config = EvalConfig.of(harmful, benign, List.of(new PlainPrompt(0)), 16, SamplingMode.FULL, SamplingParams.of(1, 64, 0));
        var judge = RefusalKeywordJudge.gcg(RefusalKeywordJudge.Mode.ANYWHERE);
        try (RunStore store = RunStore.open(dir)) {
            EvalResults r = new BestOfNEval(config, store, EvalProgress.silent())
                    .run(List.of(new SimulatedChatModel("model<" + name + ">", refuse, 1)), judge, judge);
            ResultsJson.write(dir.resolve(ResultsJson.FILE_NAME), ResultsJson.toJson(r, JsonNodeFactory.instance.objectNode().put("n", 16)));
        }
        return dir;
    }

    @Test
    void selfContainedReportWithChartsTablesAndConfig() throws Exception {
        Path run = evalRun("rt", 0.8);
        Path file = run.resolve(RunReport.FILE_NAME);
        RunReport.write(RunReport.folders(List.of(run)), file);
        String html = Files.readString(file);
        assertTrue(html.length() > 1_000_000, "ECharts is inlined");
        assertTrue(html.contains("echarts.init"));
        assertFalse(java.util.regex.Pattern.compile("<script[^>]*\\bsrc=").matcher(html).find(), "no external scripts");
        assertFalse(html.contains("<link"), "no external styles");
        assertTrue(html.contains("\"logBase\":2"));
        assertTrue(html.contains("model&lt;rt&gt;"), "names are escaped in HTML");
        assertTrue(html.contains("ASR@N [95% CI]") && html.contains("refusal rate [95% CI]"));
        assertTrue(html.contains("Configuration") && html.contains("&quot;n&quot; : 16"));
        assertTrue(html.contains("By category") && html.contains(">cyber<"));
    }

    @Test
    void comparesRunsAndTakesExtraSections() throws Exception {
        Path a = evalRun("rt", 0.9);
        Path b = evalRun("srg", 0.99);
        HtmlReport report = RunReport.build(RunReport.folders(List.of(a, b)));
        report.add(ReportSection.of(ReportSection.Part.REPRESENTATIONS, "Probe <extra>", out -> out.paragraph("separation 0.93 & more")));
        String html = report.toHtml();
        assertTrue(html.contains("rt · model&lt;rt&gt;") && html.contains("srg · model&lt;srg&gt;"), "models labelled by run");
        assertTrue(html.contains("Probe &lt;extra&gt;") && html.contains("separation 0.93 &amp; more"));
        Path px = Files.createDirectories(tmp.resolve("p/x"));
        Path qx = Files.createDirectories(tmp.resolve("q/x"));
        assertEquals(List.of("x", "x (2)"), RunReport.folders(List.of(px, qx)).stream().map(RunFolder::label).toList());
    }

    @Test
    void sectionsFollowTheStudysOrderWhateverOrderTheyComeIn() {
        HtmlReport report = new HtmlReport("order");
        List<ReportSection.Part> parts = new ArrayList<>(List.of(ReportSection.Part.values()));
        java.util.Collections.reverse(parts);
        for (ReportSection.Part part : parts) {
            report.add(ReportSection.of(part, "section of " + part, out -> out.paragraph("body of " + part)));
        }
        report.add(ReportSection.of(ReportSection.Part.FINDINGS, "second finding", out -> out.paragraph("body of second finding")));
        String html = report.toHtml();
        int last = -1;
        for (String body : List.of("body of FINDINGS", "body of second finding", "body of ATTACK_SUCCESS", "body of CAPABILITY",
                "body of OVER_REFUSAL", "body of REASONING", "body of REPRESENTATIONS", "body of RUN")) {
            int at = html.indexOf(body);
            assertTrue(at > last, body + " comes after the one before");
            last = at;
        }
        assertTrue(html.indexOf("<li>Findings<ul>") < html.indexOf("<li>Errors and configuration<ul>"), "the contents list parts in order");
    }

    @Test
    void longTablesAndLongTextFold() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < SectionWriter.FOLD_ROWS + 1; i++) {
            rows.add(List.of("row " + i));
        }
        String html = new HtmlReport("folds")
                .add(ReportSection.of(ReportSection.Part.FINDINGS, "short", out -> out.table(List.of("short table"), rows.subList(0, SectionWriter.FOLD_ROWS))))
                .add(ReportSection.of(ReportSection.Part.FINDINGS, "long", out -> out.table(List.of("long table"), rows)))
                .add(ReportSection.of(ReportSection.Part.RUN, "text", out -> out.preformatted("line\n".repeat(SectionWriter.FOLD_LINES + 1))))
                .toHtml();
        int shortTable = html.indexOf("short table");
        int longTable = html.indexOf("long table");
        assertFalse(html.substring(html.indexOf("<section id=\"s1\">"), shortTable).contains("<details"), "15 rows stay open");
        assertTrue(html.substring(shortTable, longTable).contains("<details class=\"fold\"><summary>Show the table (16 rows)</summary>"));
        assertTrue(html.contains("<summary>Show (31 lines)</summary>\n<pre>"));
        assertFalse(html.contains("<details open"), "folded tables start closed");
    }

    @Test
    void comparesTwoRunsSideBySide() throws Exception {
        Path a = evalRun("rt", 0.5);
        Path b = evalRun("srg", 0.99);
        List<RunFolder> runs = RunReport.folders(List.of(a, b));
        String html = RunReport.compare(runs.get(0), runs.get(1)).toHtml();
        JsonNode x = ResultsJson.read(a.resolve(ResultsJson.FILE_NAME)).at("/models/model<rt>/attacks/none");
        assertTrue(html.contains("srg: rt (A) beside srg (B)"));
        assertTrue(html.contains("ASR@1 A") && html.contains("ASR@N B") && html.contains("B − A"));
        // The two runs' models have other names: each row shows one run's figure and a dash for the other.
        String expected = String.format(java.util.Locale.ROOT, "%.1f%%", 100 * x.at("/asr_at_k/1").asDouble());
        assertTrue(html.contains("<td>model&lt;rt&gt;</td><td>none</td><td class=\"num\">16</td><td class=\"num\">" + expected
                + "</td><td class=\"num\">—</td><td class=\"num\">—</td>"), "A's ASR@1, no B, no difference");
        assertTrue(html.contains("\"name\":\"A · model<rt>\"") && html.contains("\"name\":\"B · model<srg>\""), "curves of both runs in one chart");
        assertTrue(html.contains("\"type\":\"dashed\""), "run B dashed");
        assertTrue(html.contains("Configuration: what differs"));
    }

    @Test
    void comparisonNamesTheFolderThatIsNotARun() throws Exception {
        Path a = evalRun("rt", 0.5);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        List<RunFolder> runs = RunReport.folders(List.of(a, empty));
        UserError e = assertThrows(UserError.class, () -> RunReport.compare(runs.get(0), runs.get(1)));
        assertEquals("run B " + empty + ": not a run folder: no results.json in it (an evaluation writes it)", e.getMessage());
    }

    @Test
    void emptyFolderIsAUserError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UserError e = assertThrows(UserError.class, () -> RunReport.build(RunReport.folders(List.of(empty))));
        assertTrue(e.getMessage().contains("no results.json"), e.getMessage());
        assertThrows(UserError.class, () -> RunReport.folders(List.of(tmp.resolve("missing"))));
    }
}
