package srg.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.report.ReportSection;
import srg.report.RunFolder;
import srg.report.SectionSource;
import srg.report.SectionWriter;

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
                out.add(new ReportSection() {
                    @Override
                    public String title() {
                        return "Representations: " + row.heading() + suffix;
                    }

                    @Override
                    public void render(SectionWriter w) {
                        w.paragraph(row.explanation());
                        for (ProbeReportSection.Chart chart : row.charts()) {
                            w.chart(chart.option(), 360);
                        }
                    }
                });
            }
        }
        return out;
    }
}
