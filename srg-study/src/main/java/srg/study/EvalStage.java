package srg.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.UserError;
import srg.eval.ResultsJson;
import srg.judge.Judge;
import srg.model.ModelSpec;
import srg.run.EvalSettings;
import srg.run.Evaluation;
import srg.run.Extensions;

/**
 * Best-of-N evaluation of every model of the study under every attack ({@code eval/}: run.db,
 * results.json, report.html), through the same code as srg eval. The run store resumes an
 * interrupted evaluation: only the missing samples are drawn.
 */
public final class EvalStage extends Stage {

    public static final String NAME = "eval";

    EvalStage() {
        super(NAME, NAME, "eval");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        EvalSettings eval = ctx.study().eval();
        List<String> parts = new ArrayList<>(List.of(NAME, "srg-study-eval-1", StudyFile.tree(ctx.study()).path("eval").toString(),
                StudyInputs.evalData(ctx).identity()));
        for (Path file : new Path[] {eval.templates(), eval.demos()}) {
            parts.add(file == null ? "-" : Fingerprint.file(file));
        }
        parts.addAll(ModelRef.identities(ctx, ctx.study().evalModels()));
        parts.addAll(extensionJudges(ctx, eval));
        return parts;
    }

    /**
     * The ids of the judges the study brings itself (SafetyWorld's oracle), which the study file
     * names only by their spec: a new id, given when such a judge decides otherwise, redoes the
     * evaluation. Nothing for a study of catalogue judges, so that its fingerprint stays as it was.
     */
    static List<String> extensionJudges(StageContext ctx, EvalSettings eval) {
        Extensions extensions = StudyInputs.extensions(ctx);
        List<String> ids = new ArrayList<>();
        for (String spec : new String[] {eval.judge(), eval.refusalJudge()}) {
            try (Judge judge = spec == null ? null : extensions.judge(spec)) {
                if (judge != null) {
                    ids.add("judge=" + judge.id());
                }
            }
        }
        return ids;
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        evaluate(ctx, dir, ctx.study().evalModels());
    }

    /**
     * Evaluates some of the study's models into {@code dir}. The run store keeps their samples, so
     * that the stage's own run then draws only the other models' (the pipeline evaluates the models
     * already made while another one trains beside).
     */
    void evaluate(StageContext ctx, Path dir, List<String> names) throws IOException {
        StudyInputs.Datasets data = StudyInputs.evalData(ctx);
        EvalSettings settings = ctx.study().eval().withData(data.harmful(), data.benign());
        List<ModelSpec> models = ModelRef.specs(ctx, names).stream().map(ModelSpec::parse).toList();
        Extensions extensions = StudyInputs.extensions(ctx);
        Evaluation.Outcome outcome = new Evaluation(settings, extensions, ctx.console()).run(models, dir, ctx.provenance(),
                describe(ctx, extensions), Evaluation.FolderCheck.NONE);
        if (!outcome.tooManyErrors().isEmpty()) {
            throw new UserError("eval: too many errors: " + String.join("; ", outcome.tooManyErrors().stream()
                    .map(f -> f.describe("eval.max_error_rate")).toList()) + ". The finished samples are kept in " + dir
                    + ": fix the cause and run the study again to retry only the failed ones");
        }
        ctx.console().info("eval: wrote " + dir.resolve(ResultsJson.FILE_NAME));
    }

    /** results.json's {@code config.study}: which study and stage made it. */
    private static ObjectNode describe(StageContext ctx, Extensions extensions) {
        ObjectNode study = new ObjectMapper().createObjectNode();
        study.put("name", ctx.study().name());
        study.put("file", ctx.study().source() == null ? null : ctx.study().source().toAbsolutePath().normalize().toString());
        study.put("stage", NAME);
        study.put("fingerprint", ctx.fingerprint(NAME));
        extensions.describe(study);
        return study;
    }
}
