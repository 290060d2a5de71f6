package srg.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import srg.eval.ResultsJson;
import srg.probe.ProbeJson;
import srg.report.RunReport;
import srg.study.safetyworld.SafetyWorldStudy;

/**
 * The study's one report ({@code report/}): the figures of the evaluation and the probe gathered
 * in one folder (results.json, probe.json; safetyworld.json for SafetyWorld), the resolved study
 * file they come from (study.yaml), and report.html over all of them.
 */
final class ReportStage extends Stage {

    static final String NAME = "report";
    /** The resolved study, every default written out: {@code srg study run report/study.yaml} runs it again. */
    static final String STUDY_FILE = "study.yaml";

    ReportStage() {
        super(NAME, NAME, "");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        List<String> parts = new ArrayList<>(List.of(NAME, "srg-study-report-1", StudyFile.tree(ctx.study()).toString()));
        for (String stage : List.of(EvalStage.NAME, ProbeStage.NAME)) {
            parts.add(ctx.has(stage) ? ctx.fingerprint(stage) : "-");
        }
        if (ctx.study().world() != null) {
            parts.addAll(SafetyWorldStudy.reportInputs(ctx));
        }
        return parts;
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        if (ctx.has(EvalStage.NAME)) {
            Files.copy(ctx.folder(EvalStage.NAME).resolve(ResultsJson.FILE_NAME), dir.resolve(ResultsJson.FILE_NAME),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (ctx.has(ProbeStage.NAME)) {
            Files.copy(ctx.folder(ProbeStage.NAME).resolve(ProbeJson.FILE), dir.resolve(ProbeJson.FILE),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        StudyFile.write(ctx.study(), dir.resolve(STUDY_FILE));
        if (ctx.study().world() != null) {
            SafetyWorldStudy.report(ctx, dir);
        }
        if (ctx.has(EvalStage.NAME) || ctx.has(ProbeStage.NAME)) {
            RunReport.write(RunReport.folders(List.of(dir)), dir.resolve(RunReport.FILE_NAME));
            ctx.console().info("report: " + ctx.out().resolve(NAME).resolve(RunReport.FILE_NAME));
        }
    }
}
