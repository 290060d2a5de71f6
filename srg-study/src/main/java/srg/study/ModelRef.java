package srg.study;

import java.nio.file.Path;
import java.util.List;
import srg.model.ModelSpec;

/**
 * A model of the study as the evaluation and the probe open it: its name (base, rt, srg, or an
 * extra's), its spec (with the study's device and decode batch for in-process models), and what
 * identifies it in fingerprints (the training stage's fingerprint, or the given folder's files).
 */
record ModelRef(String name, String spec, String identity) {

    static ModelRef of(StageContext ctx, String name) {
        Study study = ctx.study();
        String given = study.models().spec(name);
        if (given != null) {
            ModelSpec parsed = ModelSpec.parse(given);
            String identity = switch (parsed.kind()) {
                case LOCAL -> Fingerprint.folder(Path.of(parsed.model()))
                        + (parsed.options().containsKey("adapter") ? "+" + Fingerprint.folder(Path.of(parsed.option("adapter", ""))) : "");
                case OPENAI -> "openai:" + parsed.model() + parsed.extraBody();
                case SIM -> "sim:" + parsed.options();
            };
            return new ModelRef(name, named(study, given, name, parsed.kind() == ModelSpec.Kind.LOCAL), identity);
        }
        if (study.training().containsKey(name)) {
            String stage = TrainStage.nameOf(name);
            Path trained = ctx.folder(stage);
            String spec = study.training().get(name).config().mode() == srg.engine.train.TrainConfig.Mode.FULL
                    ? "local:" + trained.toAbsolutePath()
                    : "local:" + StudyInputs.base(ctx).folder().toAbsolutePath() + "?adapter=" + trained.toAbsolutePath();
            return new ModelRef(name, named(study, spec, name, true), ctx.fingerprint(stage));
        }
        if (name.equals("base") && study.world() != null) {
            StudyInputs.Base base = StudyInputs.base(ctx);
            return new ModelRef(name, named(study, "local:" + base.folder().toAbsolutePath(), name, true), base.identity());
        }
        throw new IllegalStateException("no model " + name);
    }

    /** "name=identity" of each model, for fingerprints. */
    static List<String> identities(StageContext ctx, List<String> names) {
        return names.stream().map(n -> n + "=" + of(ctx, n).identity()).toList();
    }

    /** The specs of the models, to open them. */
    static List<String> specs(StageContext ctx, List<String> names) {
        return names.stream().map(n -> of(ctx, n).spec()).toList();
    }

    /** The spec with the model's name (unless it names itself) and, in-process, the study's device and decode batch. */
    private static String named(Study study, String spec, String name, boolean local) {
        ModelSpec parsed = ModelSpec.parse(spec);
        StringBuilder s = new StringBuilder(spec);
        char sep = spec.indexOf('?') < 0 ? '?' : '&';
        if (!parsed.options().containsKey("name")) {
            s.append(sep).append("name=").append(name);
            sep = '&';
        }
        if (local && !parsed.options().containsKey("device")) {
            s.append(sep).append("device=").append(study.device());
            sep = '&';
        }
        if (local && !parsed.options().containsKey("batch")) {
            s.append(sep).append("batch=").append(study.decodeBatch());
        }
        return s.toString();
    }
}
