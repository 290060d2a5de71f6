package srg.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import srg.io.AtomicFiles;

/**
 * A self-contained HTML page of {@link ReportSection}s: the CSS and, when a section draws a
 * chart, the Apache ECharts library ({@link EchartsLibrary}) are inlined, so the file opens
 * offline and can be mailed or archived as it is. Sections appear in the order of their
 * {@link ReportSection.Part}, findings first; the table of contents lists them by part.
 */
public final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#222}
            h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em} h3{margin-top:1.4em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.9em} th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}
            th{background:#f5f5f5} td.num{text-align:right;font-variant-numeric:tabular-nums}
            pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.85em} .note{color:#666;font-size:.85em}
            details.fold{margin:.6em 0} details.fold>summary{cursor:pointer;color:#2255aa;font-size:.9em}
            .chart{width:100%;margin:.5em 0 1.5em} .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
            .charts .chart{margin:0} .chart-failed{color:#b00;border:1px dashed #b00;padding:1em;box-sizing:border-box}
            nav ol{columns:2;font-size:.9em;padding-left:1.2em} nav ol>li{break-inside:avoid;margin-bottom:.4em} nav ul{padding-left:1.2em;margin:.1em 0}
            """;

    // One chart that cannot be drawn (an unknown series type, a bad option) must not blank the
    // others, nor fail silently: it says so in its box and on the console. ECharts drops a series
    // of a type it does not know without a word, so the series it kept are counted too.
    private static final String CHART_SCRIPT = """
            var srgCharts = [];
            function srgChart(id, option) {
              var box = document.getElementById(id);
              try {
                var chart = echarts.init(box, null, {renderer: 'svg'});
                chart.setOption(option);
                var wanted = (option.series || []).length, drawn = (chart.getOption().series || []).length;
                if (drawn < wanted) {
                  throw new Error((wanted - drawn) + ' of ' + wanted + ' series could not be drawn (unknown series type?)');
                }
                srgCharts.push(chart);
              } catch (e) {
                if (window.echarts && box) { echarts.dispose(box); }
                if (box) { box.textContent = 'This chart could not be drawn: ' + e.message; box.className += ' chart-failed'; }
                console.error('srg report: chart ' + id + ': ' + e.message);
              }
            }
            window.addEventListener('resize', function () { srgCharts.forEach(function (c) { c.resize(); }); });
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
        // A stable sort: within a part, sections keep the order they were added in.
        List<ReportSection> ordered = new ArrayList<>(sections);
        ordered.sort(Comparator.comparing(ReportSection::part));
        StringBuilder scripts = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder nav = new StringBuilder("<nav><ol>\n");
        ReportSection.Part part = null;
        for (int i = 0; i < ordered.size(); i++) {
            ReportSection s = ordered.get(i);
            if (s.part() != part) {
                nav.append(part == null ? "" : "</ul></li>\n").append("<li>").append(SectionWriter.escape(s.part().heading())).append("<ul>\n");
                part = s.part();
            }
            String id = "s" + (i + 1);
            SectionWriter w = new SectionWriter(id, scripts);
            s.render(w);
            nav.append("<li><a href=\"#").append(id).append("\">").append(SectionWriter.escape(s.title())).append("</a></li>\n");
            body.append("<section id=\"").append(id).append("\">\n<h2>").append(SectionWriter.escape(s.title())).append("</h2>\n")
                    .append(w.html()).append("</section>\n");
        }
        nav.append(part == null ? "" : "</ul></li>\n").append("</ol></nav>\n");
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(SectionWriter.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n");
        if (!scripts.isEmpty()) {
            page.append("<script>\n").append(EchartsLibrary.script()).append("\n</script>\n");
            page.append("<script>\n").append(CHART_SCRIPT).append("</script>\n");
        }
        page.append("</head>\n<body>\n<h1>").append(SectionWriter.escape(title)).append("</h1>\n");
        subtitle.forEach(l -> page.append("<p class=\"note\">").append(SectionWriter.escape(l)).append("</p>\n"));
        if (ordered.size() > 1) {
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
}
