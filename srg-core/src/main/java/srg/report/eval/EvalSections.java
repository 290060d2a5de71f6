package srg.report.eval;

import java.util.ArrayList;
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
        List<ReportSection> out = new ArrayList<>(List.of(new AsrCurveSection(models), new AsrTableSection(models), new OverRefusalSection(models)));
        if (OutcomesSection.present(models)) {
            out.add(new OutcomesSection(models));
        }
        if (LatentRefusalSection.present(models)) {
            out.add(new LatentRefusalSection(models));
        }
        if (CapabilitySection.present(models)) {
            out.add(new CapabilitySection(models));
        }
        if (ReasoningSection.present(models)) {
            out.add(new ReasoningSection(models));
        }
        out.add(new ErrorSection(found, models));
        out.add(new ConfigSection(found));
        return out;
    }

    @Override
    public List<ReportSection> compare(RunFolder a, RunFolder b) {
        List<EvalRun> found = EvalRun.read(List.of(a, b));
        if (found.size() < 2) {
            return List.of();
        }
        return new EvalComparison(found.get(0), found.get(1)).sections();
    }
}
