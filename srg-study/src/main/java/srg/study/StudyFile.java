package srg.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import srg.SettingError;
import srg.attack.AttackRegistry;
import srg.attack.AttackSpec;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.engine.lora.LoraConfig;
import srg.engine.model.Precision;
import srg.engine.safetensors.DType;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;
import srg.eval.ReasoningPolicy;
import srg.eval.SamplingMode;
import srg.io.AtomicFiles;
import srg.io.Utf8File;
import srg.judge.JudgeSpec;
import srg.judge.Judges;
import srg.model.ModelSpec;
import srg.probe.LayerSelection;
import srg.probe.LogisticProbe;
import srg.probe.Pooling;
import srg.run.EvalSettings;
import srg.run.ProbeSettings;
import srg.run.RtSettings;
import srg.run.SynthSettings;
import srg.run.TrainSettings;
import srg.study.safetyworld.SafetyWorldSettings;
import srg.synth.TeacherPrompt;
import srg.world.NameInTrace;
import srg.world.SafetyData;
import srg.world.WorldConfig;

/**
 * The study file (docs/STUDY.md): YAML that declares the whole study, read into a {@link Study}
 * with every default filled in, and a {@link Study} written back in the same shape (srg
 * quickstart writes the file of the study it runs). Errors name the file, the line and the key;
 * relative paths are read against the file's folder.
 */
public final class StudyFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StudyFile() {}

    /**
     * A study as read, and where each of its keys is written: a setting's error found later (when
     * a stage runs) still names the line.
     */
    public record Located(Study study, UnaryOperator<String> where) {

        /**
         * A study built in code (srg quickstart): its setting errors stay as they are, for the
         * command line to name its own flags.
         */
        public static Located of(Study study) {
            return new Located(study, null);
        }

        /** The error with its setting named as the key the file writes it as, at the key's line. */
        public UserError locate(String section, SettingError e) {
            if (where == null) {
                return e;
            }
            String key = keyOf(section, e.setting());
            return new UserError(where.apply(key) + e.message(s -> key), e);
        }

        /** "FILE:LINE: " of a key, or nothing for a study built in code. */
        public String at(String key) {
            return where == null ? "" : where.apply(key);
        }
    }

    /** Reads and resolves a study file. */
    public static Located read(Path file) throws IOException {
        return parse(Utf8File.read(file), file);
    }

    /** Reads a study from {@code text}; {@code file} names it and anchors its relative paths. */
    public static Located parse(String text, Path file) {
        StudyText parsed = StudyText.parse(text, file.toString());
        Path dir = file.toAbsolutePath().normalize().getParent();
        Study study = new Reader(parsed.root(), dir == null ? Path.of("").toAbsolutePath() : dir, file).study();
        return new Located(study, key -> {
            int line = parsed.line("/" + key.replace('.', '/'));
            return parsed.where(line);
        });
    }

    /**
     * The key a setting of a section is written as: most settings are keys of their section, the
     * datasets live under {@code data}, the sampling settings under the section's {@code sampling}.
     */
    static String keyOf(String section, String setting) {
        String data = switch (section + "." + setting) {
            case "synth.harmful", "rt.harmful" -> "data.train.harmful";
            case "synth.benign", "rt.benign" -> "data.train.benign";
            case "synth.teacher" -> "teacher";
            case "synth.guidelines" -> "guidelines";
            case "eval.dataset" -> "data.eval.harmful";
            case "eval.benign" -> "data.eval.over_refusal";
            case "eval.model" -> "eval.models";
            case "probe.id_harmful" -> "data.probe.id_harmful";
            case "probe.id_benign" -> "data.probe.id_benign";
            case "probe.ood" -> "data.probe.ood";
            case "probe.model" -> "probe.models";
            default -> null;
        };
        if (data != null) {
            return data;
        }
        if (List.of("temperature", "top_p", "top_k", "max_tokens", "stop").contains(setting)
                && (section.equals("eval") || section.equals("synth"))) {
            return section + ".sampling." + setting;
        }
        return section.isEmpty() ? setting : section + "." + setting;
    }

    /** Reads the sections, fills in defaults, checks what goes with what. */
    private static final class Reader {
        private final YamlSection root;
        private final Path dir;
        private final Path file;
        /** The study's compute_dtype, read first: every training recipe computes in it. */
        private String computeDtype;

        Reader(YamlSection root, Path dir, Path file) {
            this.root = root;
            this.dir = dir;
            this.file = file;
        }

        Study study() {
            String name = root.required("name", "the study's name, e.g. name: llama-3.2-1b-srg");
            long seed = root.integer("seed", 0L);
            String device = root.string("device", "cpu");
            int decodeBatch = root.integer("decode_batch", 32);
            if (decodeBatch < 1) {
                throw root.error("decode_batch", "must be at least 1, got " + decodeBatch);
            }
            String teacher = root.string("teacher", null);
            String guidelines = root.string("guidelines", null);

            YamlSection sw = root.section("safetyworld");
            // A model organism pins F32 rather than following the CPU's BF16 support; a real model's runs follow the CPU.
            computeDtype = root.string("compute_dtype", sw == null ? "auto" : "f32").trim().toLowerCase(Locale.ROOT);
            try {
                Precision.choose(computeDtype, "compute_dtype"); // the spellings model specs take (fp32, bfloat16, ...)
            } catch (SettingError e) {
                throw root.error("compute_dtype", "must be f32, bf16 or auto, got '" + computeDtype + "'");
            }
            SafetyWorldSettings world = sw == null ? null : world(sw, seed);
            Study.Models models = models(root.section("models"), world != null);

            YamlSection data = root.section("data");
            YamlSection train = data == null ? null : data.section("train");
            YamlSection evalData = data == null ? null : data.section("eval");
            YamlSection probeData = data == null ? null : data.section("probe");
            List<String> trainHarmful = train == null ? List.of() : datasets(train, "harmful");
            List<String> trainBenign = train == null ? List.of() : datasets(train, "benign");
            List<String> evalHarmful = evalData == null ? List.of() : datasets(evalData, "harmful");
            List<String> overRefusal = evalData == null ? List.of() : datasets(evalData, "over_refusal");
            String idHarmful = probeData == null ? null : dataset(probeData, "id_harmful");
            String idBenign = probeData == null ? null : dataset(probeData, "id_benign");
            Map<String, String> ood = new LinkedHashMap<>();
            if (probeData != null) {
                probeData.map("ood").forEach((k, v) -> ood.put(k, resolveDataset(v)));
            }
            if (world != null) {
                for (String own : List.of("teacher", "guidelines")) {
                    if (root.has(own)) {
                        throw root.error(own, "a SafetyWorld study brings its own teacher and data; remove it");
                    }
                }
                if (data != null) {
                    throw root.error("data", "a SafetyWorld study evaluates and probes the world's own requests; remove it");
                }
            }

            YamlSection synthSection = root.section("synth");
            YamlSection rtSection = root.section("rt");
            YamlSection trainingSection = root.section("training");
            Map<String, TrainSettings> training = new LinkedHashMap<>();
            if (trainingSection != null) {
                for (String role : List.of("rt", "srg")) {
                    YamlSection recipe = trainingSection.section(role);
                    if (recipe != null) {
                        training.put(role, recipe(recipe, seed, false, 0));
                        if (training.get(role).config().earlyStopping() > 0
                                && (world == null || world.mixture().validationSubstances() == 0)) {
                            throw recipe.error("early_stopping", "needs validation data, which only a SafetyWorld study makes:"
                                    + " set safetyworld.mixture.validation_substances");
                        }
                        if (training.get(role).config().freezeEmbeddings() == EmbeddingFreeze.KNOWN && world == null) {
                            throw recipe.error("freeze_embeddings", "known needs the base's pretraining text, which only a"
                                    + " SafetyWorld study has (its world's corpus); use all or none");
                        }
                        if (training.get(role).config().anchorImportance() == AnchorImportance.FISHER && world == null) {
                            throw recipe.error("anchor_importance", "fisher needs the base's pretraining text, which only a"
                                    + " SafetyWorld study has (its world's corpus); use uniform");
                        }
                        if (models.spec(role) != null) {
                            throw recipe.error("models." + role + " gives the " + role.toUpperCase(Locale.ROOT)
                                    + " model already; give it or train it, not both");
                        }
                    }
                }
                trainingSection.done();
            }
            SynthSettings synth = null;
            RtSettings rt = null;
            if (world == null && (teacher != null || !training.isEmpty() || synthSection != null)) {
                if (teacher == null) {
                    throw root.error("teacher", "missing: the teacher model that writes the SRG data "
                            + (training.isEmpty() ? "(synth is set)" : "the RT and SRG models train on"));
                }
                if (trainHarmful.isEmpty() && trainBenign.isEmpty()) {
                    throw root.error("data", "data.train.harmful and data.train.benign: the queries the teacher answers are missing");
                }
                synth = synth(synthSection, teacher, guidelines, trainHarmful, trainBenign, seed);
                rt = rt(rtSection, trainHarmful, trainBenign, seed);
            } else {
                if (synthSection != null) {
                    throw synthSection.error("a SafetyWorld study brings its own SRG data; remove synth");
                }
                if (rtSection != null) {
                    throw rtSection.error(world != null ? "a SafetyWorld study brings its own RT data; remove rt"
                            : "RT pairing needs SRG data: give a teacher");
                }
                if (!trainHarmful.isEmpty() || !trainBenign.isEmpty()) {
                    throw train.error("training queries without a teacher: give teacher, or remove data.train");
                }
            }
            if (!training.isEmpty() && world == null) {
                ModelSpec base = ModelSpec.parse(models.base());
                if (base.kind() != ModelSpec.Kind.LOCAL || base.options().containsKey("adapter")) {
                    throw root.error("models", "models.base: training needs a local Hugging Face folder without an adapter, got "
                            + models.base());
                }
            }

            List<String> names = Study.modelNames(models, training, world != null);
            YamlSection evalSection = root.section("eval");
            EvalSettings eval = null;
            List<String> evalModels = List.of();
            if (evalSection != null || !evalHarmful.isEmpty() || world != null) {
                if (world == null && evalHarmful.isEmpty()) {
                    throw (evalData != null ? evalData : data != null ? data : root).error("harmful",
                            "the evaluation needs harmful behaviors (data.eval.harmful)");
                }
                YamlSection s = evalSection != null ? evalSection : emptySection("eval");
                evalModels = chosen(s, names);
                eval = eval(s, evalHarmful, overRefusal, seed);
                checkAttacks(s, "attacks", List.of(eval.attacks().split(",")), world != null);
                checkJudge(s, "judge", eval.judge(), world != null);
                if (eval.refusalJudge() != null) {
                    checkJudge(s, "refusal_judge", eval.refusalJudge(), world != null);
                }
                s.done();
            }
            YamlSection probeSection = root.section("probe");
            ProbeSettings probe = null;
            List<String> probeModels = List.of();
            if (probeSection != null) {
                if (world == null && (idHarmful == null || idBenign == null)) {
                    throw probeSection.error("the probe needs data.probe.id_harmful and data.probe.id_benign");
                }
                probeModels = chosen(probeSection, names);
                for (String m : probeModels) {
                    String spec = models.spec(m);
                    if (spec != null && ModelSpec.parse(spec).kind() != ModelSpec.Kind.LOCAL) {
                        throw probeSection.error("models", m + " is not a local model (" + spec + "): hidden states are read "
                                + "in-process; list the local models in probe.models, or remove probe");
                    }
                }
                probe = probe(probeSection, idHarmful, idBenign, ood, seed);
                checkAttacks(probeSection, "attacks", probe.attacks(), world != null);
                probeSection.done();
            } else if (probeData != null) {
                throw probeData.error("probe data without a probe section: add probe, or remove data.probe");
            }
            if (eval == null && probe == null && training.isEmpty() && synth == null) {
                throw root.error("nothing to do: give data.eval.harmful (an evaluation), probe, or training");
            }
            if (data != null) {
                if (train != null) {
                    train.done();
                }
                if (evalData != null) {
                    evalData.done();
                }
                if (probeData != null) {
                    probeData.done();
                }
                data.done();
            }
            root.done();
            return new Study(name, file, seed, device, computeDtype, decodeBatch, models, world, synth, rt, training, eval, evalModels, probe,
                    probeModels);
        }

        private YamlSection emptySection(String key) {
            return new YamlSection(StudyText.parse("{}", file.toString()), JSON.createObjectNode(), "/" + key, key);
        }

        private Study.Models models(YamlSection s, boolean safetyWorld) {
            if (s == null) {
                if (!safetyWorld) {
                    throw root.error("models", "missing: models.base, the model the study starts from");
                }
                return new Study.Models(null, null, null, Map.of());
            }
            String base = s.string("base", null);
            if (safetyWorld && base != null) {
                throw s.error("base", "a SafetyWorld study pretrains its own base model; remove it");
            }
            if (!safetyWorld && base == null) {
                throw s.error("base", "missing: the model the study starts from (a local folder or openai:MODEL@URL)");
            }
            Map<String, String> extra = new LinkedHashMap<>();
            s.map("extra").forEach((k, v) -> {
                if (Study.ROLES.contains(k)) {
                    throw s.error("extra", "'" + k + "' is the name of a study model; give extra models other names");
                }
                extra.put(k, modelSpec(s, "extra." + k, v));
            });
            Study.Models out = new Study.Models(base == null ? null : modelSpec(s, "base", base),
                    s.has("rt") ? modelSpec(s, "rt", s.string("rt", null)) : null,
                    s.has("srg") ? modelSpec(s, "srg", s.string("srg", null)) : null, extra);
            s.done();
            return out;
        }

        /** A model spec with a relative local folder read against the study file's folder. */
        private String modelSpec(YamlSection s, String key, String spec) {
            ModelSpec parsed;
            try {
                parsed = ModelSpec.parse(spec);
            } catch (UserError e) {
                throw s.error(key, e.getMessage());
            }
            if (parsed.kind() != ModelSpec.Kind.LOCAL) {
                return spec;
            }
            int q = spec.indexOf('?');
            String head = q < 0 ? spec : spec.substring(0, q);
            String options = q < 0 ? "" : spec.substring(q);
            String path = head.toLowerCase(Locale.ROOT).startsWith("local:") ? head.substring("local:".length()) : head;
            String adapter = parsed.options().get("adapter");
            if (adapter != null) {
                options = options.replace("adapter=" + adapter, "adapter=" + dir.resolve(adapter).normalize());
            }
            return "local:" + dir.resolve(path).normalize() + options;
        }

        private List<String> datasets(YamlSection s, String key) {
            List<String> v = s.strings(key);
            return v == null ? List.of() : v.stream().map(this::resolveDataset).toList();
        }

        private String dataset(YamlSection s, String key) {
            String v = s.string(key, null);
            return v == null ? null : resolveDataset(v);
        }

        /** A dataset spec with its file read against the study file's folder. */
        private String resolveDataset(String spec) {
            int q = spec.indexOf('?');
            String path = q < 0 ? spec : spec.substring(0, q);
            return dir.resolve(path).normalize() + (q < 0 ? "" : spec.substring(q));
        }

        private Path path(YamlSection s, String key) {
            String v = s.string(key, null);
            return v == null ? null : dir.resolve(v).normalize();
        }

        /** The models a section names ({@code models:}), each one of the study's; all of them by default. */
        private static List<String> chosen(YamlSection s, List<String> names) {
            List<String> chosen = s.strings("models");
            if (chosen == null) {
                return names;
            }
            for (String m : chosen) {
                if (!names.contains(m)) {
                    throw s.error("models", "no model '" + m + "' in this study; it has " + names);
                }
            }
            if (chosen.isEmpty()) {
                throw s.error("models", "name at least one model");
            }
            return chosen;
        }

        private SafetyWorldSettings world(YamlSection s, long seed) {
            WorldConfig standard = WorldConfig.standard(seed);
            int perKind = s.integer("entities_per_kind", standard.entitiesPerKind());
            int harmless = s.integer("harmless_per_kind", perKind);
            int held = s.integer("eval_entities_per_kind", standard.evalEntitiesPerKind());
            if (perKind < 2) {
                throw s.error("entities_per_kind", "must be at least 2, got " + perKind);
            }
            if (harmless < 2) {
                throw s.error("harmless_per_kind", "must be at least 2, got " + harmless);
            }
            if (held < 1 || held >= Math.min(perKind, harmless)) {
                throw s.error("eval_entities_per_kind", "must be at least 1 and less than entities_per_kind (" + perKind
                        + ") and harmless_per_kind (" + harmless + "), got " + held);
            }
            // hazard_signs and name_in_trace, when absent, mean v2.9's world and teacher, not the standard
            // plan's: files written before v2.14b lack both and keep meaning what they meant. srg writes
            // both whenever they are not v2.9's.
            WorldConfig world = new WorldConfig(s.integer("seed", seed), perKind, harmless, held, s.bool("hazard_signs", false));
            YamlSection mixture = s.section("mixture");
            SafetyData.Recipe recipe = SafetyData.Recipe.STANDARD.withNameInTrace(NameInTrace.REPEATED);
            if (mixture != null) {
                boolean replay = mixture.bool("replay", true);
                int passes = mixture.integer("replay_passes", replay ? SafetyData.Recipe.STANDARD.replayPasses() : 0);
                if (replay ? passes < 1 : passes != 0) {
                    throw mixture.error("replay_passes", replay ? "must be at least 1 (set replay: false for none), got " + passes
                            : "needs replay: true, got " + passes);
                }
                recipe = mixture.build(() -> new SafetyData.Recipe(mixture.bool("seen_forms", true), passes,
                        mixture.integer("validation_substances", 0),
                        NameInTrace.parse(mixture.string("name_in_trace", NameInTrace.REPEATED.setting())),
                        mixture.bool("half_detection", false), mixture.bool("answer_form_in_trace", false),
                        mixture.bool("plain_answers", false), mixture.bool("bare_steps", false)), Map.of());
                mixture.done();
            }
            ObjectNode model = s.object("model");
            if (model == null) {
                throw s.error("model", "missing: the base model's config.json fields (hidden_size, num_hidden_layers, ...)");
            }
            int length = s.integer("sequence_length", 128);
            if (length < 2) {
                throw s.error("sequence_length", "must be at least 2, got " + length);
            }
            YamlSection pretrain = s.section("pretrain");
            if (pretrain == null) {
                throw s.error("pretrain", "missing: the base model's pretraining recipe");
            }
            TrainSettings recipe2 = recipe(pretrain, world.seed(), true, length);
            s.done();
            return new SafetyWorldSettings(world, model, length, recipe2, recipe);
        }

        /** A training recipe; pretraining packs documents in {@code packed}-token sequences and takes no length keys. */
        private TrainSettings recipe(YamlSection s, long seed, boolean pretraining, int packed) {
            TrainSettings out = s.build(() -> {
                String mode = s.string("mode", "lora");
                boolean full = switch (mode) {
                    case "full" -> true;
                    case "lora" -> false;
                    default -> throw SettingError.of("mode", "must be lora or full, got '" + mode + "'");
                };
                LoraConfig lora = null;
                if (!full) {
                    List<String> targets = s.strings("lora_targets");
                    lora = new LoraConfig(s.integer("lora_rank", 16), s.number("lora_alpha", 32.0), s.number("lora_dropout", 0.05),
                            LoraConfig.parseTargets(targets == null ? List.of("all") : splitCommas(targets)));
                }
                TrainConfig config = new TrainConfig(full ? TrainConfig.Mode.FULL : TrainConfig.Mode.LORA, lora, s.integer("epochs", 3),
                        s.integer("max_steps", 0), s.number("lr", 1e-4), s.number("warmup", 0.1), s.integer("batch", 2),
                        s.integer("grad_accum", 4), s.number("weight_decay", 0.0), s.number("anchor_decay", 0.0),
                        s.number("beta1", 0.9), s.number("beta2", 0.999), s.number("eps", 1e-8), s.number("clip", 1.0),
                        s.integer("seed", seed), s.integer("checkpoint_every", 100),
                        pretraining ? 0 : s.integer("eval_every", 0), pretraining ? 0 : s.integer("early_stopping", 0),
                        Precision.choose(computeDtype, "compute_dtype").precision(),
                        // Packed pretraining sequences are all one length: there is nothing to split.
                        !pretraining && s.bool("split_by_length", true),
                        // A base learns its embedding in pretraining: freezing it there is not a recipe.
                        pretraining ? EmbeddingFreeze.NONE : EmbeddingFreeze.parse(s.string("freeze_embeddings", "none")),
                        s.string("anchor_params", null),
                        pretraining ? AnchorImportance.UNIFORM : AnchorImportance.parse(s.string("anchor_importance", null)));
                if (pretraining) {
                    return new TrainSettings(config, packed, LengthPolicy.DROP, DType.F32, false, false);
                }
                return new TrainSettings(config, s.integer("max_seq_len", 1024), LengthPolicy.parse(s.string("long", "drop")),
                        DType.parse(s.string("dtype", "f32")), s.bool("merge", false), s.bool("keep_checkpoints", false));
            }, Map.of());
            s.done();
            return out;
        }

        private SynthSettings synth(YamlSection s, String teacher, String guidelines, List<String> harmful, List<String> benign,
                long seed) {
            YamlSection section = s != null ? s : emptySection("synth");
            Path guidelineFile = guidelines == null || guidelines.equals("default") ? null : dir.resolve(guidelines).normalize();
            YamlSection sampling = section.section("sampling");
            YamlSection samp = sampling != null ? sampling : emptySection("synth.sampling");
            SynthSettings out = section.build(() -> new SynthSettings(harmful, benign, modelSpec(root, "teacher", teacher),
                    guidelineFile, section.strings("require"), section.integer("k", 4), section.integer("keep", 1),
                    section.string("judge", Judges.DEFAULT), section.string("coverage_judge", null), thinkTags(section),
                    TeacherPrompt.Placement.parse(section.string("instructions", "system")),
                    samp.build(() -> SamplingParams.checked(samp.number("temperature", 0.7), samp.number("top_p", 1.0), 0,
                            samp.integer("max_tokens", 2048), List.of(), section.integer("seed", seed)), Map.of()),
                    section.integer("batch", 64)), keys("synth"));
            samp.done();
            section.done();
            return out;
        }

        private RtSettings rt(YamlSection s, List<String> harmful, List<String> benign, long seed) {
            YamlSection section = s != null ? s : emptySection("rt");
            String refusals = section.string("refusals", "builtin");
            if (!refusals.equals("builtin") && !refusals.equals("srg") && !refusals.startsWith(RtSettings.MODEL_PREFIX)) {
                refusals = dir.resolve(refusals).normalize().toString();
            }
            String chosen = refusals;
            RtSettings out = section.build(() -> new RtSettings(harmful, benign, chosen, section.string("judge", Judges.DEFAULT),
                    section.integer("seed", seed)), keys("rt"));
            section.done();
            return out;
        }

        private EvalSettings eval(YamlSection s, List<String> harmful, List<String> benign, long seed) {
            YamlSection sampling = s.section("sampling");
            YamlSection samp = sampling != null ? sampling : emptySection("eval.sampling");
            long evalSeed = s.integer("seed", seed);
            EvalSettings out = s.build(() -> {
                List<String> attacks = s.strings("attacks");
                List<String> stop = samp.strings("stop");
                SamplingParams params = samp.build(() -> SamplingParams.checked(samp.number("temperature", 1.0),
                        samp.number("top_p", 1.0), samp.integer("top_k", 0), samp.integer("max_tokens", 512),
                        stop == null ? List.of() : stop, evalSeed), Map.of());
                return new EvalSettings(harmful, benign, attacks == null ? "none" : String.join(",", attacks),
                        s.has("attacker") ? modelSpec(s, "attacker", s.string("attacker", null)) : null,
                        s.has("translator") ? modelSpec(s, "translator", s.string("translator", null)) : null,
                        path(s, "templates"), path(s, "demos"), s.integer("n", EvalSettings.DEFAULT_N),
                        SamplingMode.parse(s.string("mode", "full")), s.string("judge", Judges.DEFAULT),
                        s.string("refusal_judge", null), s.integer("benign_n", 1), s.bool("benign_under_attacks", false),
                        s.bool("latent_refusal", false), ReasoningPolicy.parse(s.word("judge_reasoning", "off")), thinkTags(s),
                        params, evalSeed, s.integer("batch", EvalSettings.DEFAULT_BATCH),
                        s.integer("judge_batch", EvalSettings.DEFAULT_JUDGE_BATCH), s.integer("bootstrap", EvalSettings.DEFAULT_BOOTSTRAP),
                        s.number("max_error_rate", EvalSettings.DEFAULT_MAX_ERROR_RATE));
            }, keys("eval"));
            samp.done();
            return out;
        }

        private ProbeSettings probe(YamlSection s, String idHarmful, String idBenign, Map<String, String> ood, long seed) {
            return s.build(() -> {
                List<String> attacks = s.strings("attacks");
                Integer pcaLayer = s.has("pca_layer") ? s.integer("pca_layer", 0) : null;
                return new ProbeSettings(idHarmful, idBenign, ood, attacks == null ? List.of() : attacks,
                        LayerSelection.parse(s.string("layers", "all")), ProbeSettings.poolings(s.string("pooling", "both")), pcaLayer,
                        s.number("l2", LogisticProbe.DEFAULT_L2), s.integer("seed", seed), s.integer("batch_size", 16));
            }, keys("probe"));
        }

        /** Every attack names a family of the catalogue (or, in SafetyWorld, a disguise); parameters are checked when it runs. */
        private static void checkAttacks(YamlSection s, String key, List<String> attacks, boolean safetyWorld) {
            for (String attack : attacks) {
                if (safetyWorld && attack.strip().startsWith("sw-")) {
                    continue;
                }
                List<List<AttackSpec>> parsed;
                try {
                    parsed = AttackSpec.parseList(attack);
                } catch (UserError | IllegalArgumentException e) {
                    throw s.error(key, e.getMessage());
                }
                for (List<AttackSpec> layers : parsed) {
                    for (AttackSpec layer : layers) {
                        if (!AttackRegistry.names().contains(layer.family())) {
                            throw s.error(key, "unknown attack '" + layer.family() + "'; known attacks: "
                                    + String.join(", ", AttackRegistry.names()) + (safetyWorld ? ", and the world's sw-*" : ""));
                        }
                    }
                }
            }
        }

        /** A judge spec that parses and names a judge of the catalogue (or, in SafetyWorld, the world's oracle). */
        private static void checkJudge(YamlSection s, String key, String spec, boolean safetyWorld) {
            if (safetyWorld && spec.equals("safetyworld")) {
                return;
            }
            String name;
            try {
                name = JudgeSpec.parse(spec).name();
            } catch (UserError e) {
                throw s.error(key, e.getMessage());
            }
            if (!Judges.names().contains(name)) {
                throw s.error(key, "unknown judge '" + name + "'; known judges: " + String.join(", ", Judges.names())
                        + (safetyWorld ? ", and the world's safetyworld" : ""));
            }
        }

        private static ThinkTags thinkTags(YamlSection s) {
            List<String> tags = s.strings("think_tags");
            if (tags == null) {
                return ThinkTags.DEFAULT;
            }
            if (tags.size() != 2) {
                throw SettingError.of("think_tags", "expected [OPEN, CLOSE], e.g. [\"<think>\", \"</think>\"]; got " + tags);
            }
            return ThinkTags.parse(tags.get(0) + "," + tags.get(1));
        }

        /** The keys of a section's settings that live elsewhere in the file. */
        private static Map<String, String> keys(String section) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String setting : List.of("harmful", "benign", "teacher", "guidelines", "dataset", "model", "id_harmful", "id_benign",
                    "ood", "temperature", "top_p", "top_k", "max_tokens", "stop")) {
                String key = keyOf(section, setting);
                if (!key.equals(section + "." + setting)) {
                    out.put(setting, key);
                }
            }
            return out;
        }

        private static List<String> splitCommas(List<String> values) {
            List<String> out = new ArrayList<>();
            values.forEach(v -> {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            });
            return out;
        }
    }

    // ---- writing ---------------------------------------------------------------------------------

    /** The study as a tree in the file's shape, every setting written out. */
    public static ObjectNode tree(Study study) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", study.name());
        o.put("seed", study.seed());
        o.put("device", study.device());
        o.put("compute_dtype", study.computeDtype());
        o.put("decode_batch", study.decodeBatch());
        if (study.synth() != null) {
            o.put("teacher", study.synth().teacher());
            o.put("guidelines", study.synth().guidelines() == null ? "default" : study.synth().guidelines().toString());
        }
        Study.Models m = study.models();
        if (m.base() != null || m.rt() != null || m.srg() != null || !m.extra().isEmpty()) {
            ObjectNode models = o.putObject("models");
            putIfSet(models, "base", m.base());
            putIfSet(models, "rt", m.rt());
            putIfSet(models, "srg", m.srg());
            if (!m.extra().isEmpty()) {
                ObjectNode extra = models.putObject("extra");
                m.extra().forEach(extra::put);
            }
        }
        if (study.world() != null) {
            o.set("safetyworld", world(study.world()));
        }
        ObjectNode data = JSON.createObjectNode();
        if (study.synth() != null) {
            ObjectNode train = data.putObject("train");
            strings(train, "harmful", study.synth().harmful());
            strings(train, "benign", study.synth().benign());
        }
        if (study.world() == null && study.eval() != null) {
            ObjectNode eval = data.putObject("eval");
            strings(eval, "harmful", study.eval().harmful());
            strings(eval, "over_refusal", study.eval().benign());
        }
        if (study.world() == null && study.probe() != null) {
            ObjectNode probe = data.putObject("probe");
            probe.put("id_harmful", study.probe().idHarmful());
            probe.put("id_benign", study.probe().idBenign());
            if (!study.probe().ood().isEmpty()) {
                ObjectNode ood = probe.putObject("ood");
                study.probe().ood().forEach(ood::put);
            }
        }
        if (data.size() > 0) {
            o.set("data", data);
        }
        if (study.synth() != null) {
            o.set("synth", synth(study.synth()));
            o.set("rt", rt(study.rt()));
        }
        if (!study.training().isEmpty()) {
            ObjectNode training = o.putObject("training");
            for (String role : Study.ROLES) {
                if (study.training().containsKey(role)) {
                    training.set(role, recipe(study.training().get(role), false));
                }
            }
        }
        if (study.eval() != null) {
            ObjectNode eval = eval(study.eval());
            ArrayNode models = JSON.createArrayNode();
            study.evalModels().forEach(models::add);
            eval.set("models", models);
            o.set("eval", eval);
        }
        if (study.probe() != null) {
            ObjectNode probe = probe(study.probe());
            ArrayNode models = JSON.createArrayNode();
            study.probeModels().forEach(models::add);
            probe.set("models", models);
            o.set("probe", probe);
        }
        return o;
    }

    /** The study file's text for {@code study}. */
    public static String yaml(Study study) {
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
        try {
            return "# " + study.name() + ": a study file (docs/STUDY.md says how to run one)\n"
                    + yaml.writeValueAsString(tree(study));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Study study, Path file) throws IOException {
        AtomicFiles.writeString(file, yaml(study));
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static void strings(ObjectNode o, String key, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode a = o.putArray(key);
            values.forEach(a::add);
        }
    }

    private static ObjectNode world(SafetyWorldSettings w) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seed", w.world().seed());
        SafetyWorldSettings.putSize(o, w.world());
        // Always written: a file without it means the standard number of passes, which has changed before.
        o.set("mixture", SafetyWorldSettings.mixtureJson(w.mixture()).put("replay_passes", w.mixture().replayPasses()));
        o.set("model", w.model().deepCopy());
        o.put("sequence_length", w.sequenceLength());
        o.set("pretrain", recipe(w.pretrain(), true));
        return o;
    }

    private static ObjectNode recipe(TrainSettings t, boolean pretraining) {
        TrainConfig c = t.config();
        ObjectNode o = JSON.createObjectNode();
        o.put("mode", c.mode().name().toLowerCase(Locale.ROOT));
        if (c.mode() == TrainConfig.Mode.LORA) {
            o.put("lora_rank", c.lora().rank());
            o.put("lora_alpha", c.lora().alpha());
            o.put("lora_dropout", c.lora().dropout());
            ArrayNode targets = o.putArray("lora_targets");
            c.lora().targetNames().forEach(targets::add);
        }
        o.put("epochs", c.epochs());
        o.put("max_steps", c.maxSteps());
        o.put("lr", c.learningRate());
        o.put("warmup", c.warmupRatio());
        o.put("batch", c.batchSize());
        o.put("grad_accum", c.gradAccum());
        o.put("weight_decay", c.weightDecay());
        if (c.anchorDecay() > 0) {
            o.put("anchor_decay", c.anchorDecay()); // written only when on, as study files before it had none
        }
        if (c.anchorParams() != null) {
            o.put("anchor_params", c.anchorParams());
        }
        c.anchorImportance().writeTo(o); // written only when fisher
        o.put("beta1", c.beta1());
        o.put("beta2", c.beta2());
        o.put("eps", c.epsilon());
        o.put("clip", c.maxGradNorm());
        o.put("seed", c.seed());
        o.put("checkpoint_every", c.checkpointEvery());
        if (!pretraining) {
            o.put("split_by_length", c.splitByLength());
            c.freezeEmbeddings().writeTo(o); // written only when on, as study files before it had none
            if (c.earlyStopping() > 0 || c.evalEvery() > 0) {
                o.put("eval_every", c.evalEvery());
                o.put("early_stopping", c.earlyStopping());
            }
            o.put("max_seq_len", t.maxSeqLen());
            o.put("long", t.longPolicy().name().toLowerCase(Locale.ROOT));
            o.put("dtype", t.dtype().name().toLowerCase(Locale.ROOT));
            o.put("merge", t.merge());
            o.put("keep_checkpoints", t.keepCheckpoints());
        }
        return o;
    }

    private static ObjectNode synth(SynthSettings s) {
        ObjectNode o = JSON.createObjectNode();
        if (s.require() != null) {
            strings(o, "require", s.require());
        }
        o.put("k", s.k());
        o.put("keep", s.keep());
        o.put("judge", s.judge());
        putIfSet(o, "coverage_judge", s.coverageJudge());
        o.putArray("think_tags").add(s.thinkTags().open()).add(s.thinkTags().close());
        o.put("instructions", s.instructions().name().toLowerCase(Locale.ROOT));
        o.putObject("sampling").put("temperature", s.sampling().temperature()).put("top_p", s.sampling().topP())
                .put("max_tokens", s.sampling().maxTokens());
        o.put("seed", s.sampling().seed());
        o.put("batch", s.batch());
        return o;
    }

    private static ObjectNode rt(RtSettings r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("refusals", r.refusals());
        o.put("judge", r.judge());
        o.put("seed", r.seed());
        return o;
    }

    private static ObjectNode eval(EvalSettings e) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode attacks = o.putArray("attacks");
        for (String a : e.attacks().split(",")) {
            attacks.add(a.strip());
        }
        putIfSet(o, "attacker", e.attacker());
        putIfSet(o, "translator", e.translator());
        putIfSet(o, "templates", e.templates() == null ? null : e.templates().toString());
        putIfSet(o, "demos", e.demos() == null ? null : e.demos().toString());
        o.put("n", e.n());
        o.put("mode", e.mode().wireName());
        o.put("judge", e.judge());
        putIfSet(o, "refusal_judge", e.refusalJudge());
        o.put("benign_n", e.benignN());
        o.put("benign_under_attacks", e.benignUnderAttacks());
        o.put("latent_refusal", e.latentRefusal());
        o.put("judge_reasoning", e.judgeReasoning().wireName());
        o.putArray("think_tags").add(e.thinkTags().open()).add(e.thinkTags().close());
        ObjectNode sampling = o.putObject("sampling");
        sampling.put("temperature", e.sampling().temperature()).put("top_p", e.sampling().topP()).put("top_k", e.sampling().topK())
                .put("max_tokens", e.sampling().maxTokens());
        ArrayNode stop = sampling.putArray("stop");
        e.sampling().stop().forEach(stop::add);
        o.put("seed", e.seed());
        o.put("batch", e.batch());
        o.put("judge_batch", e.judgeBatch());
        o.put("bootstrap", e.bootstrap());
        o.put("max_error_rate", e.maxErrorRate());
        return o;
    }

    private static ObjectNode probe(ProbeSettings p) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode attacks = o.putArray("attacks");
        p.attacks().forEach(attacks::add);
        o.put("layers", p.layers().all() ? "all" : String.join(",", p.layers().layers().stream().map(String::valueOf).toList()));
        o.put("pooling", p.poolings().size() == 2 ? "both" : p.poolings().get(0) == Pooling.LAST_TOKEN ? "last" : "mean");
        if (p.pcaLayer() != null) {
            o.put("pca_layer", p.pcaLayer());
        }
        o.put("l2", p.l2());
        o.put("seed", p.seed());
        o.put("batch_size", p.batchSize());
        return o;
    }
}
