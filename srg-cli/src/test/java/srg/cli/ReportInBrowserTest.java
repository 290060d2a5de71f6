package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.report.HtmlReport;
import srg.report.ReportSection;
import srg.report.ReportSection.Part;

/**
 * The reports as a person sees them: a SafetyWorld study's report.html and the comparison of two
 * studies, loaded in headless Chromium, must draw every chart they hold without a JavaScript
 * error. The check itself is shown to fail on a page with broken charts. Chromium is installed
 * from Debian's packages when missing; if it cannot be, this test fails (it never skips).
 */
class ReportInBrowserTest {

    private static final Pattern CHART_CALL = Pattern.compile("srgChart\\('([^']+)'");

    private static HeadlessChromium chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void chromium() throws Exception {
        chromium = HeadlessChromium.find(Path.of("target", "chromium-install.log"));
        System.out.println("ReportInBrowserTest: " + chromium.version());
    }

    private Path study(String name) throws IOException {
        return StudyRuns.copy(tmp, name, StudyRuns.ALL_FILES);
    }

    /** The ids of the charts the page's script asks for, in page order. */
    private static List<String> chartCalls(Path page) throws IOException {
        Matcher m = CHART_CALL.matcher(Files.readString(page));
        return m.results().map(r -> r.group(1)).toList();
    }

    private void assertEveryChartDrew(Path page) throws Exception {
        ChartCheck.Result result = ChartCheck.run(chromium, page, tmp.resolve("check-" + page.getFileName()));
        assertEquals(List.of(), result.failures(), "charts that did not draw and JavaScript errors in " + page);
        List<String> asked = chartCalls(page);
        assertTrue(asked.size() > 1, "the page has charts");
        assertEquals(asked, result.charts().stream().map(ChartCheck.Chart::id).toList(), "every chart the page draws has its container");
    }

    @Test
    void studyReportDrawsEveryChart() throws Exception {
        Path run = study("seed-101");
        CliRun r = CliRun.of("report", run.toString());
        assertEquals(0, r.code(), r.err());
        assertEveryChartDrew(run.resolve("report.html"));
    }

    @Test
    void comparisonOfTwoStudiesDrawsEveryChart() throws Exception {
        Path a = study("seed-101");
        Path b = study("seed-102");
        Path page = tmp.resolve("compare.html");
        CliRun r = CliRun.of("report", "--compare", a.toString(), b.toString(), "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertEveryChartDrew(page);
    }

    @Test
    void theCheckFailsOnBrokenCharts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode good = json.createObjectNode();
        good.putObject("xAxis").put("type", "category").putArray("data").add("a").add("b");
        good.putObject("yAxis").put("type", "value");
        good.putArray("series").addObject().put("type", "bar").putArray("data").add(1).add(2);
        ObjectNode unknownType = good.deepCopy();
        ((ObjectNode) unknownType.path("series").get(0)).put("type", "no-such-chart");
        String html = new HtmlReport("broken charts")
                .add(ReportSection.of(Part.FINDINGS, "drawn", w -> w.chart(good, 200)))
                .add(ReportSection.of(Part.FINDINGS, "unknown series type", w -> w.chart(unknownType, 200)))
                .toHtml();
        // Then a container no script draws into, and a script that throws (before the page's own
        // </body>: the inlined chart library holds that string too).
        int end = html.lastIndexOf("</body>");
        Path page = tmp.resolve("broken.html");
        Files.writeString(page, html.substring(0, end) + "<div class=\"chart\" id=\"never-drawn\" style=\"height:100px\"></div>\n"
                + "<script>noSuchFunction();</script>\n" + html.substring(end));

        ChartCheck.Result result = ChartCheck.run(chromium, page, tmp.resolve("check-broken"));

        assertEquals(List.of("s1-chart1", "s2-chart1", "never-drawn"), result.charts().stream().map(ChartCheck.Chart::id).toList());
        assertTrue(result.charts().get(0).drew(), "the sound chart drew: " + result.charts().get(0));
        List<String> failures = result.failures();
        assertEquals(4, failures.size(), String.join("\n", failures));
        assertTrue(failures.get(0).startsWith("chart s2-chart1 did not draw"), failures.get(0));
        assertTrue(failures.get(1).startsWith("chart never-drawn did not draw"), failures.get(1));
        assertTrue(failures.get(2).contains("console.error: srg report: chart s2-chart1: 1 of 1 series could not be drawn"), failures.get(2));
        assertTrue(failures.get(3).contains("noSuchFunction"), failures.get(3));
    }
}
