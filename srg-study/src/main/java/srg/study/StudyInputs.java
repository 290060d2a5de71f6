package srg.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.model.ModelSpec;
import srg.run.Extensions;
import srg.study.safetyworld.SafetyWorldStudy;

/**
 * Where the stages' inputs come from: for a study on given models, the teacher's stages and the
 * study file's datasets; for SafetyWorld, the generated world. The one place the two kinds of
 * study differ after their first stages.
 */
public final class StudyInputs {

    private StudyInputs() {}

    /**
     * The data a model trains on, and the fingerprint of whatever made it.
     *
     * @param validation held-out data of the same kind (for early stopping), or null
     * @param replay a text corpus replayed beside the chat data, or null
     * @param replayLength its packed length
     * @param knownText the base's pretraining text (for {@code freeze_embeddings: known}), or null where the study
     *     does not have it
     */
    public record TrainingData(Path data, Path validation, Path replay, int replayLength, Path knownText, String fingerprint) {}

    static TrainingData training(StageContext ctx, String role) {
        Study study = ctx.study();
        if (study.world() != null) {
            return SafetyWorldStudy.trainingData(ctx, role);
        }
        String stage = role.equals("srg") ? SynthStage.NAME : RtStage.NAME;
        Path file = ctx.folder(stage).resolve(role.equals("srg") ? SynthStage.FILE : RtStage.FILE);
        return new TrainingData(file, null, null, 0, null, ctx.fingerprint(stage));
    }

    /** The base model's folder (to train from), and what identifies it. */
    public record Base(Path folder, String identity) {}

    static Base base(StageContext ctx) {
        if (ctx.study().world() != null) {
            return new Base(ctx.folder(SafetyWorldStudy.BASE_STAGE), ctx.fingerprint(SafetyWorldStudy.BASE_STAGE));
        }
        Path folder = Path.of(ModelSpec.parse(ctx.study().models().base()).model());
        if (!Files.isDirectory(folder)) {
            throw new UserError(ctx.located().at("models.base") + "models.base: no such folder " + folder
                    + " (training needs the base model here)");
        }
        return new Base(folder, Fingerprint.folder(folder));
    }

    /** The evaluation's harmful and benign datasets (specs), and what identifies their contents. */
    public record Datasets(List<String> harmful, List<String> benign, String identity) {}

    /** The probe's ID sets (specs), and what identifies their contents. */
    public record IdSets(String harmful, String benign, String identity) {}

    static Datasets evalData(StageContext ctx) {
        if (ctx.study().world() != null) {
            return SafetyWorldStudy.evalData(ctx);
        }
        List<String> harmful = ctx.study().eval().harmful();
        List<String> benign = ctx.study().eval().benign();
        return new Datasets(harmful, benign, StudyInputs.datasets(harmful) + "|" + StudyInputs.datasets(benign));
    }

    static IdSets probeData(StageContext ctx) {
        if (ctx.study().world() != null) {
            return SafetyWorldStudy.probeData(ctx);
        }
        String harmful = ctx.study().probe().idHarmful();
        String benign = ctx.study().probe().idBenign();
        return new IdSets(harmful, benign, datasets(List.of(harmful, benign)) + "|"
                + datasets(List.copyOf(ctx.study().probe().ood().values())));
    }

    static Extensions extensions(StageContext ctx) {
        return ctx.study().world() != null ? SafetyWorldStudy.extensions(ctx) : Extensions.NONE;
    }

    /** What identifies datasets: each file's content hash and the spec's options (format, columns, limit). */
    static String datasets(List<String> specs) {
        StringBuilder s = new StringBuilder();
        for (String spec : specs) {
            int q = spec.indexOf('?');
            Path file = Path.of(q < 0 ? spec : spec.substring(0, q));
            s.append(Fingerprint.file(file)).append(q < 0 ? "" : spec.substring(q)).append(';');
        }
        return s.toString();
    }
}
