package srg.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.engine.model.Precision;
import srg.run.EvalSettings;
import srg.run.ProbeSettings;
import srg.run.RtSettings;
import srg.run.SynthSettings;
import srg.run.TrainSettings;
import srg.study.safetyworld.SafetyWorldSettings;

/**
 * The whole SRG study, as one study file declares it (docs/STUDY.md): the models, the teacher and
 * the guidelines, the datasets, the RT and SRG recipes, the evaluation and the probe. Every
 * setting is resolved (defaults filled in), so two studies are the same study exactly when their
 * records are equal.
 *
 * @param name names the study in reports
 * @param source the study file it was read from, or null when built in code (srg quickstart)
 * @param seed the default of every seed below
 * @param device where in-process models run: cpu, cuda or cuda:N
 * @param computeDtype the matmul format of in-process models, trained and evaluated: f32, bf16 or
 *     auto (bf16 where the CPU has native BF16); a model spec's own {@code dtype=} wins
 * @param decodeBatch sequences an in-process model decodes together
 * @param models the models given by spec (base, rt, srg, extra); trained models are not here
 * @param world SafetyWorld: the generated world and its pretrained base, or null for a study on given models
 * @param synth SRG synthesis by the teacher, or null (SafetyWorld brings its own data)
 * @param rt RT data paired with the SRG data, or null without synthesis
 * @param training recipes of the models trained here, by name ({@code rt}, {@code srg})
 * @param eval the Best-of-N evaluation, or null; its datasets are empty in a SafetyWorld study (the world's)
 * @param evalModels the models evaluated, by name
 * @param probe the representation analysis, or null; its ID sets are null in a SafetyWorld study
 * @param probeModels the models probed, by name
 */
public record Study(String name, Path source, long seed, String device, String computeDtype, int decodeBatch, Models models,
        SafetyWorldSettings world, SynthSettings synth, RtSettings rt, Map<String, TrainSettings> training, EvalSettings eval,
        List<String> evalModels, ProbeSettings probe, List<String> probeModels) {

    /** The matmul format {@link #computeDtype} resolves to on this machine. */
    public Precision precision() {
        return Precision.choose(computeDtype, "compute_dtype").precision();
    }

    /** The names of the models a study makes or is given, in report order. */
    public static final List<String> ROLES = List.of("base", "rt", "srg");

    public Study {
        training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
        evalModels = List.copyOf(evalModels);
        probeModels = List.copyOf(probeModels);
    }

    /**
     * The models given by spec.
     *
     * @param base the base model (a local folder or an OpenAI-compatible server), or null in SafetyWorld
     * @param rt an RT model made elsewhere, or null (trained here, or none)
     * @param srg an SRG model made elsewhere, or null
     * @param extra more models to evaluate (and probe), by name
     */
    public record Models(String base, String rt, String srg, Map<String, String> extra) {
        public Models {
            extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        }

        /** The spec given for a model name, or null. */
        public String spec(String name) {
            return switch (name) {
                case "base" -> base;
                case "rt" -> rt;
                case "srg" -> srg;
                default -> extra.get(name);
            };
        }
    }

    /** Every model of the study, by name: given by spec, trained here, or (SafetyWorld) pretrained here. */
    public List<String> modelNames() {
        return modelNames(models, training, world != null);
    }

    static List<String> modelNames(Models models, Map<String, TrainSettings> training, boolean safetyWorld) {
        List<String> out = new ArrayList<>();
        for (String role : ROLES) {
            if (models.spec(role) != null || training.containsKey(role) || role.equals("base") && safetyWorld) {
                out.add(role);
            }
        }
        out.addAll(models.extra().keySet());
        return out;
    }
}
