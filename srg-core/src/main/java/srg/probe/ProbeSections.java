package srg.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.ReportSection.Part;
import srg.report.RunFolder;
import srg.report.SectionSource;

/**
 * Mounts {@code srg probe}'s plots (from each run's {@code probe.json}) in the run report, after
 * the Best-of-N sections: one report section per chart row, models side by side.
 */
public final class ProbeSections implements SectionSource {

    @Override
    public int order() {
        return 200;
    }

    @Override
    public List<ReportSection> sections(List<RunFolder> runs) {
        List<ReportSection> out = new ArrayList<>();
        for (RunFolder run : runs) {
            Path file = run.path().resolve(ProbeJson.FILE);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            ProbeResults results = ProbeJson.read(file);
            String suffix = runs.size() > 1 ? " (" + run.label() + ")" : "";
            for (ProbeReportSection.Row row : new ProbeReportSection(results).rows()) {
                out.add(ReportSection.of(Part.REPRESENTATIONS, "Representations: " + row.heading() + suffix, w -> {
                    w.paragraph(row.explanation());
                    w.charts(row.charts().stream().map(ProbeReportSection.Chart::option).toList(), 360);
                }));
            }
        }
        return out;
    }
}
