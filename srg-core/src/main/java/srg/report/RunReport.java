package srg.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import srg.UserError;
import srg.eval.ResultsJson;

/**
 * Builds {@code report.html} for one run folder, a page of several, or two runs side by side, from
 * every {@link SectionSource}.
 */
public final class RunReport {

    public static final String FILE_NAME = "report.html";

    /** A page of several runs, or two runs side by side, in the first run's folder. */
    public static final String COMPARE_FILE_NAME = "report-compare.html";

    private RunReport() {}

    /** Names the runs by their folder names, numbered where two would clash. */
    public static List<RunFolder> folders(List<Path> dirs) {
        List<RunFolder> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new UserError("run folder " + dir + ": no such folder");
            }
            Path name = dir.toAbsolutePath().normalize().getFileName();
            String label = name == null ? dir.toString() : name.toString();
            int n = seen.merge(label, 1, Integer::sum);
            out.add(new RunFolder(n == 1 ? label : label + " (" + n + ")", dir));
        }
        return out;
    }

    public static HtmlReport build(List<RunFolder> runs) {
        String title = runs.size() == 1 ? "srg run " + runs.get(0).label() : "srg: " + runs.size() + " runs compared";
        HtmlReport report = new HtmlReport(title);
        for (RunFolder r : runs) {
            report.subtitle(r.label() + ": " + r.path().toAbsolutePath().normalize());
        }
        report.subtitle("report written " + Instant.now());
        int sections = 0;
        for (SectionSource s : sources()) {
            List<ReportSection> found = s.sections(runs);
            report.addAll(found);
            sections += found.size();
        }
        if (sections == 0) {
            throw new UserError("nothing to report in " + runs.stream().map(r -> r.path().toString()).toList()
                    + " (no results.json or probe.json: evaluate or probe into it first, or resume the run that was to write them)");
        }
        return report;
    }

    /**
     * Run {@code a} beside run {@code b}: each source's comparison (metrics with both values and
     * B − A, curves overlaid). Both folders must hold an evaluation ({@code results.json}).
     */
    public static HtmlReport compare(RunFolder a, RunFolder b) {
        requireResults("run A", a);
        requireResults("run B", b);
        HtmlReport report = new HtmlReport("srg: " + a.label() + " (A) beside " + b.label() + " (B)");
        report.subtitle("A = " + a.label() + ": " + a.path().toAbsolutePath().normalize());
        report.subtitle("B = " + b.label() + ": " + b.path().toAbsolutePath().normalize());
        report.subtitle("Differences are B − A, in percentage points for rates; * marks a difference whose two 95% intervals "
                + "do not overlap. Report written " + Instant.now());
        for (SectionSource s : sources()) {
            report.addAll(s.compare(a, b));
        }
        return report;
    }

    /** Writes the report of {@code runs} to {@code file}. */
    public static void write(List<RunFolder> runs, Path file) throws IOException {
        build(runs).write(file);
    }

    private static void requireResults(String which, RunFolder run) {
        Path file = run.path().resolve(ResultsJson.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new UserError(which + " " + run.path() + ": not a run folder: no " + ResultsJson.FILE_NAME
                    + " in it (an evaluation writes it)");
        }
    }

    private static List<SectionSource> sources() {
        List<SectionSource> sources = new ArrayList<>();
        ServiceLoader.load(SectionSource.class, RunReport.class.getClassLoader()).forEach(sources::add);
        sources.sort(Comparator.comparingInt(SectionSource::order));
        return sources;
    }
}
