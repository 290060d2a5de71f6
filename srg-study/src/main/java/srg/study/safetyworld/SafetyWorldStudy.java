package srg.study.safetyworld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.eval.ResultsJson;
import srg.probe.ProbeJson;
import srg.probe.ProbeResults;
import srg.run.Extensions;
import srg.study.EvalStage;
import srg.study.Stage;
import srg.study.StageContext;
import srg.study.Study;
import srg.study.StudyInputs;
import srg.world.PretrainingCorpus;
import srg.world.World;
import srg.world.WorldGenerator;

/**
 * SafetyWorld as an instance of the study pipeline: its own first stages (the world, the
 * pretrained base, the base's decoding check) take the place of synthesis on given models; the
 * world's files are the training data, the evaluation sets and the probe's ID sets; its disguises
 * and oracle judge join the catalogues; and its summary ({@code safetyworld.json}) joins the
 * report. Everything else (training, evaluation, probe, report) is the pipeline's, the same as
 * for a study of real models.
 */
public final class SafetyWorldStudy {

    public static final String WORLD_STAGE = "world";
    public static final String BASE_STAGE = "base";
    public static final String DECODE_STAGE = "decode";

    private SafetyWorldStudy() {}

    /** The stages before training: the world, the base model, its decoding check. */
    public static List<Stage> stages() {
        return List.of(new WorldStage(), new BaseStage(), new DecodeStage());
    }

    /** The world of the study, generated once per run and shared by the stages. */
    static WorldFiles files(StageContext ctx) {
        return ctx.shared("safetyworld", () -> {
            SafetyWorldSettings settings = ctx.study().world();
            World world = WorldGenerator.generate(settings.world());
            try {
                return WorldFiles.of(world, PretrainingCorpus.build(world), settings.mixture());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The data a model trains on: the world's RT or SRG data, with the replayed knowledge beside it
     * and the validation substances' examples held out; the base's pretraining text is the world's corpus.
     */
    public static StudyInputs.TrainingData trainingData(StageContext ctx, String role) {
        Path world = ctx.folder(WORLD_STAGE);
        SafetyWorldSettings settings = ctx.study().world();
        boolean srg = role.equals("srg");
        return new StudyInputs.TrainingData(world.resolve(srg ? WorldFiles.SRG : WorldFiles.RT),
                settings.mixture().validationSubstances() > 0 ? world.resolve(srg ? WorldFiles.SRG_VALIDATION : WorldFiles.RT_VALIDATION) : null,
                settings.mixture().replay() ? world.resolve(WorldFiles.REPLAY) : null, settings.sequenceLength(),
                world.resolve(WorldFiles.CORPUS), files(ctx).trainingHash(srg));
    }

    /** The evaluation's sets: the world's held-out harmful and benign requests. */
    public static StudyInputs.Datasets evalData(StageContext ctx) {
        Path world = ctx.folder(WORLD_STAGE);
        return new StudyInputs.Datasets(List.of(world.resolve(WorldFiles.EVAL_HARMFUL).toString()),
                List.of(world.resolve(WorldFiles.EVAL_BENIGN).toString()), files(ctx).evalHash());
    }

    /** The probe's ID sets: the same held-out requests. */
    public static StudyInputs.IdSets probeData(StageContext ctx) {
        Path world = ctx.folder(WORLD_STAGE);
        return new StudyInputs.IdSets(world.resolve(WorldFiles.EVAL_HARMFUL).toString(),
                world.resolve(WorldFiles.EVAL_BENIGN).toString(), files(ctx).evalHash());
    }

    public static Extensions extensions(StageContext ctx) {
        return new SafetyWorldExtensions(files(ctx).world());
    }

    /** What the summary reads besides the evaluation and the probe: the decoding check. */
    public static List<String> reportInputs(StageContext ctx) {
        return List.of(ctx.fingerprint(DECODE_STAGE));
    }

    /**
     * Writes the study's summary ({@code safetyworld.json}) into the report folder {@code dir},
     * beside the results.json and probe.json gathered there: the headline figures per model and
     * form, SRG's reasoning audit, which substance each model's benign answers name, the base's
     * decoding, and the pre-registered expectations.
     */
    public static void report(StageContext ctx, Path dir) throws IOException {
        Study study = ctx.study();
        World world = files(ctx).world();
        DecodeCheck decode = DecodeCheck.read(ctx.folder(DECODE_STAGE).resolve(DecodeCheck.FILE));
        Path results = dir.resolve(ResultsJson.FILE_NAME);
        Path probeFile = dir.resolve(ProbeJson.FILE);
        ProbeResults probe = Files.isRegularFile(probeFile) ? ProbeJson.read(probeFile) : null;
        Map<String, ReasoningFigures> reasoning = study.evalModels().contains("srg") && study.eval() != null
                ? ReasoningFigures.audit(world, study.eval().seed(), study.eval().sampling(), ctx.folder(EvalStage.NAME), "srg") : null;
        Map<String, Map<String, AnswerFigures>> answers = new LinkedHashMap<>();
        if (study.eval() != null) {
            for (String m : study.evalModels()) {
                answers.put(m, AnswerFigures.audit(world, study.eval().seed(), study.eval().sampling(), ctx.folder(EvalStage.NAME), m));
            }
        }
        Map<String, Double> seconds = new LinkedHashMap<>(ctx.seconds());
        seconds.put("total", seconds.values().stream().mapToDouble(Double::doubleValue).sum());
        StudySummary summary = StudySummary.of(study, world, decode, ResultsJson.read(results), reasoning, answers, probe, seconds);
        summary.write(dir.resolve(StudySummary.FILE));
    }
}
