package srg.report.eval;

import java.util.List;
import srg.report.ReportSection;
import srg.report.RunFolder;
import srg.report.SectionSource;

/** The Best-of-N evaluation's sections, from each run's {@code results.json}. */
public final class EvalSections implements SectionSource {

    @Override
    public int order() {
        return 100;
    }

    @Override
    public List<ReportSection> sections(List<RunFolder> runs) {
        List<EvalRun> found = EvalRun.read(runs);
        if (found.isEmpty()) {
            return List.of();
        }
        List<EvalRun.ModelEntry> models = EvalRun.models(found);
        return List.of(
                new AsrCurveSection(models),
                new AsrTableSection(models),
                new OverRefusalSection(models),
                new ErrorSection(found, models),
                new ConfigSection(found));
    }
}
