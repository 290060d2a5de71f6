package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a report page draws in a real browser: a copy of the page gets a script, first in its
 * head, that records every JavaScript error (uncaught errors, rejected promises,
 * {@code console.error}) and, once the page has loaded, what each chart container
 * ({@code div.chart}) holds; headless Chromium loads it and the record is read back from the DOM.
 * A chart drew when its container holds an SVG (or canvas) of non-zero size with shapes in it.
 */
final class ChartCheck {

    /** One chart container as the browser left it. */
    record Chart(String id, int svg, int canvas, int shapes, double width, double height) {

        boolean drew() {
            return (svg > 0 && shapes > 0 || canvas > 0) && width > 0 && height > 0;
        }
    }

    /** What the page drew and which errors it raised. */
    record Result(List<Chart> charts, List<String> errors) {

        /** One line per chart that did not draw and per error; empty when the page is sound. */
        List<String> failures() {
            List<String> out = new ArrayList<>();
            for (Chart c : charts) {
                if (!c.drew()) {
                    out.add(String.format(Locale.ROOT, "chart %s did not draw (svg %d, canvas %d, shapes %d, %.0fx%.0f px)",
                            c.id(), c.svg(), c.canvas(), c.shapes(), c.width(), c.height()));
                }
            }
            errors.forEach(e -> out.add("JavaScript error: " + e));
            return out;
        }
    }

    private static final String MARKER_ID = "srg-chart-check";

    // Listeners go in before any other script so that errors in the chart library are caught too.
    // The record escapes < > & so that the DOM serialiser leaves it as it is.
    private static final String SCRIPT = """
            <script>
            (function () {
              var errors = [];
              window.addEventListener('error', function (e) {
                errors.push(e.message + (e.filename ? ' (' + e.filename.slice(-60) + ':' + e.lineno + ')' : ''));
              });
              window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); });
              var consoleError = console.error;
              console.error = function () {
                errors.push('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
                return consoleError.apply(console, arguments);
              };
              window.addEventListener('load', function () {
                var charts = [];
                document.querySelectorAll('div.chart').forEach(function (c) {
                  var box = c.getBoundingClientRect();
                  charts.push({id: c.id, svg: c.querySelectorAll('svg').length, canvas: c.querySelectorAll('canvas').length,
                    shapes: c.querySelectorAll('svg path, svg text, svg rect, svg circle, svg line, svg polyline').length,
                    width: box.width, height: box.height});
                });
                var out = document.createElement('pre');
                out.id = 'MARKER';
                out.textContent = JSON.stringify({charts: charts, errors: errors}).replace(/[<>&]/g, function (ch) {
                  return '\\\\u' + ('000' + ch.charCodeAt(0).toString(16)).slice(-4);
                });
                document.body.appendChild(out);
              });
            })();
            </script>
            """.replace("MARKER", MARKER_ID);

    private static final Pattern RECORD = Pattern.compile("<pre id=\"" + MARKER_ID + "\">(.*?)</pre>", Pattern.DOTALL);

    private ChartCheck() {}

    /** Loads {@code page} in {@code chromium} (working files under {@code work}) and reads back what it drew. */
    static Result run(HeadlessChromium chromium, Path page, Path work) throws IOException, InterruptedException {
        String html = Files.readString(page);
        int head = html.indexOf("<head>");
        if (head < 0) {
            throw new IllegalArgumentException(page + ": no <head> to put the check in");
        }
        head += "<head>".length();
        Files.createDirectories(work);
        Path checked = work.resolve("checked-" + page.getFileName());
        Files.writeString(checked, html.substring(0, head) + "\n" + SCRIPT + html.substring(head));
        String dom = chromium.dumpDom(checked, work);
        Matcher m = RECORD.matcher(dom);
        if (!m.find()) {
            throw new AssertionError("the check never ran in " + page + " (no #" + MARKER_ID + " in the DOM Chromium returned: "
                    + dom.length() + " characters); see " + work);
        }
        JsonNode record = new ObjectMapper().readTree(m.group(1));
        List<Chart> charts = new ArrayList<>();
        for (JsonNode c : record.path("charts")) {
            charts.add(new Chart(c.path("id").asText(), c.path("svg").asInt(), c.path("canvas").asInt(), c.path("shapes").asInt(),
                    c.path("width").asDouble(), c.path("height").asDouble()));
        }
        List<String> errors = new ArrayList<>();
        record.path("errors").forEach(e -> errors.add(e.asText()));
        return new Result(charts, errors);
    }
}
