package srg.study;

import java.nio.file.Path;
import java.util.List;
import srg.engine.model.Precision;
import srg.model.ModelSpec;

/**
 * A model of the study as the evaluation and the probe open it: its name (base, rt, srg, or an
 * extra's), its spec (with the study's device, decode batch and compute dtype for in-process
 * models), and what identifies it in fingerprints (the training stage's fingerprint, or the given
 * folder's files, and the matmul format it runs in).
 */
record ModelRef(String name, String spec, String identity) {

    static ModelRef of(StageContext ctx, String name) {
        Study study = ctx.study();
        String given = study.models().spec(name);
        if (given != null) {
            ModelSpec parsed = ModelSpec.parse(given);
            String identity = switch (parsed.kind()) {
                case LOCAL -> Fingerprint.folder(Path.of(parsed.model()))
                        + (parsed.options().containsKey("adapter") ? "+" + Fingerprint.folder(Path.of(parsed.option("adapter", ""))) : "")
                        + numerics(study, parsed);
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
            return new ModelRef(name, named(study, spec, name, true), ctx.fingerprint(stage) + numerics(study, ModelSpec.parse(spec)));
        }
        if (name.equals("base") && study.world() != null) {
            StudyInputs.Base base = StudyInputs.base(ctx);
            String spec = "local:" + base.folder().toAbsolutePath();
            return new ModelRef(name, named(study, spec, name, true), base.identity() + numerics(study, ModelSpec.parse(spec)));
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

    /**
     * The matmul format an in-process model runs in (its spec's {@code dtype=}, else the study's
     * compute_dtype), for its identity: "@bf16", or nothing for F32, so that the fingerprints of
     * studies made before the setting existed (all F32) stay as they were.
     */
    private static String numerics(Study study, ModelSpec spec) {
        String own = spec.option("dtype", null);
        Precision p = own == null ? study.precision() : Precision.choose(own, "dtype").precision();
        return p == Precision.F32 ? "" : "@" + p.setting();
    }

    /**
     * The spec with the model's name (unless it names itself) and, in-process, the study's device,
     * decode batch and compute dtype (resolved, so that the run store records the format used).
     */
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
            sep = '&';
        }
        if (local && !parsed.options().containsKey("dtype")) {
            s.append(sep).append("dtype=").append(study.precision().setting());
        }
        return s.toString();
    }
}
