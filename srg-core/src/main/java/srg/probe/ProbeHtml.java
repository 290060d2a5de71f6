package srg.probe;

import java.io.IOException;
import java.nio.file.Path;
import srg.io.AtomicFiles;
import srg.report.EchartsLibrary;

/**
 * {@code probe.html}: the {@link ProbeReportSection} as a page of its own, with echarts inlined so
 * that it opens offline.
 */
public final class ProbeHtml {

    /** The file name in a run folder. */
    public static final String FILE = "probe.html";

    private ProbeHtml() {}

    public static String page(ProbeResults results) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>srg: representation analysis</title>\n"
                + "<style>body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;"
                + "color:#222}h3{margin-top:32px}p{max-width:900px}</style>\n"
                + "<script>" + EchartsLibrary.script() + "</script>\n</head>\n<body>\n<h1>Representation analysis</h1>\n"
                + new ProbeReportSection(results).html()
                + "</body>\n</html>\n";
    }

    public static void write(Path file, ProbeResults results) throws IOException {
        AtomicFiles.writeString(file, page(results));
    }
}
