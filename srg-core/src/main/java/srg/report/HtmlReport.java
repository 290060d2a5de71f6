package srg.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.io.AtomicFiles;

/**
 * A self-contained HTML page of {@link ReportSection}s: the CSS and, when a section draws a
 * chart, the Apache ECharts library (from the {@code org.webjars.npm:echarts} jar) are inlined,
 * so the file opens offline and can be mailed or archived as it is.
 */
public final class HtmlReport {

    /** The ECharts build inlined into pages, from the webjar on the class path. */
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#222}
            h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em} h3{margin-top:1.4em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.9em} th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}
            th{background:#f5f5f5} td.num{text-align:right;font-variant-numeric:tabular-nums}
            pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.85em} .note{color:#666;font-size:.85em}
            .chart{width:100%;margin:.5em 0 1.5em} nav ul{columns:2;font-size:.9em}
            """;

    private final String title;
    private final List<String> subtitle = new ArrayList<>();
    private final List<ReportSection> sections = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A line under the title (what was compared, when). */
    public HtmlReport subtitle(String line) {
        subtitle.add(line);
        return this;
    }

    public HtmlReport add(ReportSection section) {
        sections.add(section);
        return this;
    }

    public HtmlReport addAll(List<? extends ReportSection> more) {
        sections.addAll(more);
        return this;
    }

    public String toHtml() {
        StringBuilder scripts = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder nav = new StringBuilder("<nav><ul>\n");
        for (int i = 0; i < sections.size(); i++) {
            ReportSection s = sections.get(i);
            String id = "s" + (i + 1);
            SectionWriter w = new SectionWriter(id, scripts);
            s.render(w);
            nav.append("<li><a href=\"#").append(id).append("\">").append(SectionWriter.escape(s.title())).append("</a></li>\n");
            body.append("<section id=\"").append(id).append("\">\n<h2>").append(SectionWriter.escape(s.title())).append("</h2>\n")
                    .append(w.html()).append("</section>\n");
        }
        nav.append("</ul></nav>\n");
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(SectionWriter.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n");
        if (!scripts.isEmpty()) {
            page.append("<script>\n").append(echarts()).append("\n</script>\n");
            page.append("""
                    <script>
                    var srgCharts = [];
                    function srgChart(id, option) {
                      var chart = echarts.init(document.getElementById(id), null, {renderer: 'svg'});
                      chart.setOption(option);
                      srgCharts.push(chart);
                    }
                    window.addEventListener('resize', function () { srgCharts.forEach(function (c) { c.resize(); }); });
                    </script>
                    """);
        }
        page.append("</head>\n<body>\n<h1>").append(SectionWriter.escape(title)).append("</h1>\n");
        subtitle.forEach(l -> page.append("<p class=\"note\">").append(SectionWriter.escape(l)).append("</p>\n"));
        if (sections.size() > 1) {
            page.append(nav);
        }
        page.append(body);
        if (!scripts.isEmpty()) {
            page.append("<script>\n").append(scripts).append("</script>\n");
        }
        page.append("</body>\n</html>\n");
        return page.toString();
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toHtml());
    }

    private static String echarts() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts webjar (org.webjars.npm:echarts:5.3.1) is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + ECHARTS, e);
        }
    }
}
