package srg.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a {@link ReportSection} may write: text, tables, preformatted blocks, sub-headings and
 * Apache ECharts charts given as their option object. Every string is HTML-escaped; the chart
 * library is inlined once per page by {@link HtmlReport}. Long tables and long preformatted blocks
 * fold (an HTML {@code <details>} element, closed until clicked), so a page of a study stays
 * readable from top to bottom.
 */
public final class SectionWriter {

    /** Tables with more rows than this fold. */
    static final int FOLD_ROWS = 15;
    /** Preformatted blocks with more lines than this fold. */
    static final int FOLD_LINES = 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder html = new StringBuilder();
    private final StringBuilder scripts;
    private final String idPrefix;
    private int charts;

    SectionWriter(String idPrefix, StringBuilder scripts) {
        this.idPrefix = idPrefix;
        this.scripts = scripts;
    }

    public SectionWriter subheading(String text) {
        html.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    public SectionWriter paragraph(String text) {
        html.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A note in smaller, muted type (caveats, provenance). */
    public SectionWriter note(String text) {
        html.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
        return this;
    }

    public SectionWriter bullets(List<String> items) {
        html.append("<ul>\n");
        items.forEach(i -> html.append("<li>").append(escape(i)).append("</li>\n"));
        html.append("</ul>\n");
        return this;
    }

    /** A table; cells that parse as numbers are right-aligned. More than {@value #FOLD_ROWS} rows fold. */
    public SectionWriter table(List<String> header, List<List<String>> rows) {
        boolean fold = rows.size() > FOLD_ROWS;
        if (fold) {
            html.append("<details class=\"fold\"><summary>Show the table (").append(rows.size()).append(" rows)</summary>\n");
        }
        html.append("<table>\n<thead><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                html.append(isNumeric(cell) ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (fold) {
            html.append("</details>\n");
        }
        return this;
    }

    /** Preformatted text; more than {@value #FOLD_LINES} lines fold. */
    public SectionWriter preformatted(String text) {
        long lines = text.lines().count();
        if (lines > FOLD_LINES) {
            html.append("<details class=\"fold\"><summary>Show (").append(lines).append(" lines)</summary>\n");
        }
        html.append("<pre>").append(escape(text)).append("</pre>\n");
        if (lines > FOLD_LINES) {
            html.append("</details>\n");
        }
        return this;
    }

    /** An ECharts chart the width of the page: {@code option} is passed to {@code chart.setOption} as it is. */
    public SectionWriter chart(ObjectNode option, int heightPx) {
        return chartIn(option, heightPx);
    }

    /**
     * Charts side by side, as many to a row as the page's width allows: small multiples (one per
     * attack, one per model) that read best next to each other. Each option should carry its own
     * title.
     */
    public SectionWriter charts(List<ObjectNode> options, int heightPx) {
        html.append("<div class=\"charts\">\n");
        options.forEach(o -> chartIn(o, heightPx));
        html.append("</div>\n");
        return this;
    }

    private SectionWriter chartIn(ObjectNode option, int heightPx) {
        String id = idPrefix + "-chart" + (++charts);
        html.append("<div class=\"chart\" id=\"").append(id).append("\" style=\"height:").append(heightPx).append("px\"></div>\n");
        try {
            // "</" inside a script would end it early; JSON allows "\/" for "/".
            String json = JSON.writeValueAsString(option).replace("</", "<\\/");
            scripts.append("srgChart('").append(id).append("', ").append(json).append(");\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chart option", e);
        }
        return this;
    }

    String html() {
        return html.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isNumeric(String s) {
        return s.matches("[-+−]?[0-9][0-9,]*(\\.[0-9]+)?%?\\*?( \\[.*\\])?") || s.equals("—");
    }
}
