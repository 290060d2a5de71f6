package srg.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.engine.model.Precision;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.TrainConfig;
import srg.study.safetyworld.SafetyWorldSettings;
import srg.study.safetyworld.StudyPlan;
import srg.world.NameInTrace;
import srg.world.SafetyData;
import srg.world.WorldConfig;

/** The study file: examples, defaults, the round trip, and errors that name the line and the key. */
class StudyFileTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path tmp;

    private Study parse(String yaml) {
        return StudyFile.parse(yaml, tmp.resolve("study.yaml")).study();
    }

    private String error(String yaml) {
        return assertThrows(UserError.class, () -> parse(yaml)).getMessage();
    }

    private static final String MINIMAL = """
            name: mini
            models:
              base: sim:refuse=0.5
            data:
              eval:
                harmful: [h.csv]
            """;

    @Test
    void theSafetyWorldExampleIsTheStandardPlan() throws Exception {
        // examples/safetyworld.yaml spells out StudyPlan.standard: a change to either alone fails here.
        Study example = StudyFile.read(EXAMPLES.resolve("safetyworld.yaml")).study();
        Study plan = StudyPlan.standard(7, 32).study("cpu");
        assertEquals(StudyFile.tree(plan), StudyFile.tree(example));
        assertEquals(plan.training(), example.training());
        assertEquals(plan.world(), example.world());
        assertEquals(plan.eval(), example.eval());
        assertEquals(plan.probe(), example.probe());
    }

    @Test
    void everyExampleReadsAndWritesBackTheSameStudy() throws Exception {
        List<Path> examples;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            examples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(3, examples.size(), examples.toString());
        for (Path example : examples) {
            Study study = StudyFile.read(example).study();
            Path again = tmp.resolve(example.getFileName());
            StudyFile.write(study, again);
            Study reread = StudyFile.read(again).study();
            assertEquals(StudyFile.tree(study), StudyFile.tree(reread), example.toString());
            assertEquals(study.eval(), reread.eval(), example.toString());
            assertEquals(study.training(), reread.training(), example.toString());
        }
    }

    @Test
    void aMixtureWritesBackWithItsReplayPassesWhateverTheDefault() throws Exception {
        // One pass was the default once; a file that left it out would now read as four.
        for (int passes : new int[] {1, SafetyData.Recipe.STANDARD.replayPasses(), 0}) {
            SafetyData.Recipe mixture = SafetyData.Recipe.STANDARD.withReplayPasses(passes);
            Study study = StudyPlan.standard(7, 32).withSafety(mixture, StudyPlan.SAFETY_EPOCHS, StudyPlan.SAFETY_LEARNING_RATE, 0)
                    .study("cpu");
            Path file = tmp.resolve("passes-" + passes + ".yaml");
            StudyFile.write(study, file);
            assertEquals(mixture, StudyFile.read(file).study().world().mixture(), Files.readString(file));
        }
    }

    @Test
    void anUnbalancedWorldWritesBackAndABalancedOneKeepsItsKeys() throws Exception {
        Study study = StudyPlan.standard(1, 32).withSubstancesPerKind(12, 8).study("cpu");
        Path file = tmp.resolve("unbalanced.yaml");
        StudyFile.write(study, file);
        assertTrue(Files.readString(file).contains("harmless_per_kind: 8"), Files.readString(file));
        assertEquals(new WorldConfig(1, 12, 8, 2, true), StudyFile.read(file).study().world().world());
        // A balanced world's fingerprint has no harmless_per_kind, so bases keyed before it existed are reused.
        assertFalse(StudyPlan.standard(1, 32).study("cpu").world().baseJson().path("world").has("harmless_per_kind"));
        assertEquals(8, study.world().baseJson().path("world").path("harmless_per_kind").asInt());
        // The standard world has hazard signs (v2.14b); one without them (v2.9's) keeps its old keys.
        assertTrue(study.world().baseJson().path("world").path("hazard_signs").asBoolean());
        Study unsigned = StudyPlan.standard(1, 32).withHazardSigns(false).study("cpu");
        assertFalse(unsigned.world().baseJson().path("world").has("hazard_signs"));
        StudyFile.write(unsigned, file);
        assertEquals(WorldConfig.standard(1).withHazardSigns(false), StudyFile.read(file).study().world().world());
    }

    @Test
    void theMixturesSwitchesWriteBackOnlyWhenOnAndKeepTheBase() throws Exception {
        StudyPlan plan = StudyPlan.standard(1, 32);
        Map<String, SafetyData.Recipe> switches = Map.of(
                "half_detection", plan.mixture().withHalfDetection(true),
                "answer_form_in_trace", plan.mixture().withAnswerFormInTrace(true),
                "plain_answers", plan.mixture().withPlainAnswers(true),
                "bare_steps", plan.mixture().withBareSteps(true));
        Path file = tmp.resolve("mixture.yaml");
        for (Map.Entry<String, SafetyData.Recipe> on : switches.entrySet()) {
            Study study = plan.withSafety(on.getValue(), StudyPlan.SAFETY_EPOCHS, StudyPlan.SAFETY_LEARNING_RATE, 0).study("cpu");
            StudyFile.write(study, file);
            assertTrue(Files.readString(file).contains(on.getKey() + ": true"), Files.readString(file));
            assertEquals(on.getValue(), StudyFile.read(file).study().world().mixture(), on.getKey() + " reads back");
            assertFalse(SafetyWorldSettings.mixtureJson(plan.mixture()).has(on.getKey()), "a mixture without it keeps its keys");
            assertEquals(plan.study("cpu").world().baseJson(), study.world().baseJson(), "the base does not read the mixture");
        }
        String wrong = error("name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n"
                + "  mixture: {half_detection: maybe}\n");
        assertTrue(wrong.contains("safetyworld.mixture.half_detection"), wrong);
    }

    @Test
    void theTeachersNamingWritesBackAndKeepsTheBase() throws Exception {
        StudyPlan plan = StudyPlan.standard(1, 32);
        Study once = plan.withSafety(plan.mixture().withNameInTrace(NameInTrace.ONCE), StudyPlan.SAFETY_EPOCHS,
                StudyPlan.SAFETY_LEARNING_RATE, 0).study("cpu");
        Path file = tmp.resolve("once.yaml");
        StudyFile.write(once, file);
        assertTrue(Files.readString(file).contains("name_in_trace: once"), Files.readString(file));
        assertEquals(NameInTrace.ONCE, StudyFile.read(file).study().world().mixture().nameInTrace());
        // The base does not read SRG's data: its fingerprint is the default plan's.
        assertEquals(plan.study("cpu").world().baseJson(), once.world().baseJson());
        assertFalse(SafetyWorldSettings.mixtureJson(plan.mixture().withNameInTrace(NameInTrace.REPEATED)).has("name_in_trace"),
                "a mixture with v2.9's teacher keeps its keys");
        assertEquals("once-fact", SafetyWorldSettings.mixtureJson(plan.mixture()).path("name_in_trace").asText());
        String wrong = error("name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n"
                + "  mixture: {name_in_trace: twice}\n");
        assertTrue(wrong.contains("study.yaml:5") && wrong.contains("safetyworld.mixture.name_in_trace")
                && wrong.contains("'twice'"), wrong);
    }

    @Test
    void earlyStoppingNeedsTheWorldsValidationSubstancesAndWritesBack() throws Exception {
        String world = "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n";
        String training = "training:\n  rt: {mode: full, eval_every: 32, early_stopping: 4}\n";
        String refused = error(world + training);
        assertTrue(refused.contains("training.rt.early_stopping") && refused.contains("validation_substances"), refused);
        Study study = parse(world + "  mixture: {validation_substances: 4}\n" + training);
        assertEquals(4, study.world().mixture().validationSubstances());
        assertEquals(4, study.training().get("rt").config().earlyStopping());
        assertEquals(32, study.training().get("rt").config().evalEvery());
        Path file = tmp.resolve("early-stopping.yaml");
        StudyFile.write(study, file);
        Study back = StudyFile.read(file).study();
        assertEquals(study.world().mixture(), back.world().mixture(), Files.readString(file));
        assertEquals(study.training().get("rt").config(), back.training().get("rt").config(), Files.readString(file));
    }

    @Test
    void anchorDecayReadsAndWritesBackOnlyWhenOn() throws Exception {
        String world = "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n";
        Study study = parse(world + "training:\n  rt: {mode: full, anchor_decay: 30}\n  srg: {mode: full}\n");
        assertEquals(30.0, study.training().get("rt").config().anchorDecay());
        assertEquals(0.0, study.training().get("srg").config().anchorDecay(), "off unless asked");
        Path file = tmp.resolve("anchored.yaml");
        StudyFile.write(study, file);
        String written = Files.readString(file);
        assertEquals(study.training(), StudyFile.read(file).study().training(), written);
        assertEquals(1, written.split("anchor_decay", -1).length - 1, "written for rt only: " + written);
        assertTrue(error(world + "training:\n  rt: {mode: full, anchor_decay: -1}\n").contains("training.rt.anchor_decay"));
        String overshoot = error(world + "training:\n  rt: {mode: full, lr: 0.01, anchor_decay: 200}\n");
        assertTrue(overshoot.contains("anchor_decay") && overshoot.contains("at most 1"), overshoot);
    }

    @Test
    void anchorParamsReadAndWriteBack() throws Exception {
        String world = "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n";
        Study study = parse(world + "training:\n  srg: {mode: full, anchor_decay: 3, anchor_params: 'model\\.layers\\.[01]\\..*'}\n");
        assertEquals("model\\.layers\\.[01]\\..*", study.training().get("srg").config().anchorParams());
        Path file = tmp.resolve("some.yaml");
        StudyFile.write(study, file);
        assertEquals(study.training(), StudyFile.read(file).study().training(), Files.readString(file));
        String alone = error(world + "training:\n  srg: {mode: full, anchor_params: 'model.*'}\n");
        assertTrue(alone.contains("training.srg.anchor_params") && alone.contains("training.srg.anchor_decay"), alone);
        String bad = error(world + "training:\n  srg: {mode: full, anchor_decay: 3, anchor_params: 'model.(layers'}\n");
        assertTrue(bad.contains("training.srg.anchor_params") && bad.contains("regular expression"), bad);
    }

    @Test
    void anchorImportanceReadsAndWritesBackAndNeedsAWorld() throws Exception {
        String world = "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n";
        Study study = parse(world + "training:\n  srg: {mode: full, anchor_decay: 3, anchor_importance: fisher}\n");
        assertEquals(AnchorImportance.FISHER, study.training().get("srg").config().anchorImportance());
        Path file = tmp.resolve("fisher.yaml");
        StudyFile.write(study, file);
        assertEquals(study.training(), StudyFile.read(file).study().training(), Files.readString(file));
        String noWorld = error("name: x\nmodels: {base: m}\ntraining:\n  srg: {mode: full, anchor_decay: 3, anchor_importance: fisher}\n");
        assertTrue(noWorld.contains("training.srg.anchor_importance") && noWorld.contains("pretraining text"), noWorld);
        String word = error(world + "training:\n  srg: {mode: full, anchor_decay: 3, anchor_importance: ewc}\n");
        assertTrue(word.contains("training.srg.anchor_importance") && word.contains("uniform or fisher"), word);
    }

    @Test
    void frozenEmbeddingsReadAndWriteBackAndOnlyForFineTuning() throws Exception {
        String world = "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full%s}\n";
        Study study = parse(String.format(world, "") + "training:\n  rt: {mode: full, freeze_embeddings: true}\n  srg: {mode: full}\n");
        assertEquals(EmbeddingFreeze.ALL, study.training().get("rt").config().freezeEmbeddings());
        assertEquals(EmbeddingFreeze.NONE, study.training().get("srg").config().freezeEmbeddings(), "off unless asked");
        Path file = tmp.resolve("frozen.yaml");
        StudyFile.write(study, file);
        assertEquals(study.training(), StudyFile.read(file).study().training(), Files.readString(file));
        Study known = parse(String.format(world, "") + "training:\n  rt: {mode: full, freeze_embeddings: known}\n");
        assertEquals(EmbeddingFreeze.KNOWN, known.training().get("rt").config().freezeEmbeddings());
        StudyFile.write(known, file);
        assertEquals(known.training(), StudyFile.read(file).study().training(), Files.readString(file));
        assertTrue(error(String.format(world, "") + "training:\n  rt: {mode: full, freeze_embeddings: some}\n")
                .contains("training.rt.freeze_embeddings"), "an unknown value names the key");
        String notSafetyWorld = error(MINIMAL + "training:\n  rt: {mode: full, freeze_embeddings: known}\n");
        assertTrue(notSafetyWorld.contains("training.rt.freeze_embeddings") && notSafetyWorld.contains("only a SafetyWorld study"),
                notSafetyWorld);
        assertTrue(error(String.format(world, ", freeze_embeddings: true")).contains("freeze_embeddings"),
                "pretraining learns the embedding: the key is not one of its settings");
        assertTrue(error(String.format(world, "") + "training:\n  rt: {mode: lora, freeze_embeddings: true}\n")
                .contains("training.rt.freeze_embeddings"));
    }

    @Test
    void defaultsAndRelativePaths() {
        Study study = parse(MINIMAL);
        assertEquals("cpu", study.device());
        assertEquals("auto", study.computeDtype(), "a real model's study follows the CPU");
        assertEquals("f32", parse("name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\n").computeDtype(),
                "SafetyWorld's figures are pinned");
        assertEquals(List.of("base"), study.evalModels());
        assertEquals(16, study.eval().n());
        assertEquals(tmp.resolve("h.csv").toAbsolutePath().normalize().toString(), study.eval().harmful().get(0));
        assertNull(study.synth());
        assertNull(study.probe());

        Study trained = parse("""
                name: t
                seed: 5
                models: {base: model}
                teacher: sim:refuse=0.1
                data:
                  train: {harmful: [q.csv]}
                training:
                  srg: {mode: full, lr: 1e-4}
                """);
        assertEquals("local:" + tmp.resolve("model").toAbsolutePath().normalize(), trained.models().base());
        assertEquals(TrainConfig.Mode.FULL, trained.training().get("srg").config().mode());
        assertEquals(1e-4, trained.training().get("srg").config().learningRate());
        assertEquals(5, trained.training().get("srg").config().seed(), "the study's seed is every seed's default");
        assertEquals(List.of("base", "srg"), trained.modelNames());
        assertEquals(4, trained.synth().k());
        assertEquals(trained.precision(), trained.training().get("srg").config().precision(),
                "training computes in the study's compute_dtype");
        Study bf16 = parse("""
                name: t
                compute_dtype: BF16
                models: {base: model}
                teacher: sim:refuse=0.1
                data:
                  train: {harmful: [q.csv]}
                training:
                  srg: {mode: full}
                """);
        assertEquals(Precision.BF16, bf16.training().get("srg").config().precision());
        assertEquals("bf16", StudyFile.tree(bf16).path("compute_dtype").asText());
    }

    @Test
    void errorsNameTheLineAndTheKey() {
        String where = tmp.resolve("study.yaml") + ":";
        assertEquals(where + "8: eval.nn: unknown key (did you mean n?); eval takes models, sampling, seed, attacks, attacker, "
                + "translator, templates, demos, n, mode, judge, refusal_judge, benign_n, benign_under_attacks, latent_refusal, "
                + "judge_reasoning, think_tags, batch, judge_batch, bootstrap, max_error_rate",
                error(MINIMAL + "eval:\n  nn: 3\n"));
        assertEquals(where + "11: training.srg.epochs: must be at least 1, got 0", error("""
                name: t
                models: {base: model}
                teacher: sim:refuse=0.1
                data:
                  train: {harmful: [q.csv]}
                  eval: {harmful: [h.csv]}
                training:
                  srg:
                    mode: full
                    lr: 1e-4
                    epochs: 0
                """));
        assertEquals(where + "8: eval.n: must be a whole number, got 'many'", error(MINIMAL + "eval:\n  n: many\n"));
        assertEquals(where + "9: eval.sampling.top_p: must be in (0, 1], got 2.0",
                error(MINIMAL + "eval:\n  sampling:\n    top_p: 2\n"));
        assertEquals(where + "8: eval.attacks: unknown attack 'caesarr'; known attacks: "
                + String.join(", ", srg.attack.AttackRegistry.names()), error(MINIMAL + "eval:\n  attacks: [none, caesarr]\n"));
        assertEquals(where + "8: eval.mode: expected full or sequential, got 'fast'", error(MINIMAL + "eval:\n  mode: fast\n"));
        assertTrue(error("name: x\nmodels:\n  base: a\n  base: b\n").startsWith(where + "4: Duplicate field 'base'"),
                error("name: x\nmodels:\n  base: a\n  base: b\n"));
        assertTrue(error("name: [x\n").startsWith(where), error("name: [x\n"));
        assertEquals(where + "1: models: missing: models.base, the model the study starts from", error("name: x\ndata: {}\n"));
        assertEquals(where + "3: teacher: a SafetyWorld study brings its own teacher and data; remove it", error("""
                name: sw
                safetyworld: {model: {hidden_size: 64}, pretrain: {mode: full}}
                teacher: sim:refuse=0.1
                """));
        assertTrue(error("name: x\na: &v 1\nb: *v\n").contains(":3: YAML aliases (*v) are not supported"),
                error("name: x\na: &v 1\nb: *v\n"));
        assertEquals(where + "4: safetyworld.mixture.replay_passes: needs replay: true, got 2",
                error("name: sw\nsafetyworld:\n  mixture:\n    replay_passes: 2\n    replay: false\n"));
        assertEquals(where + "3: safetyworld.harmless_per_kind: must be at least 2, got 1",
                error("name: sw\nsafetyworld:\n  harmless_per_kind: 1\n"));
        assertEquals(where + "3: safetyworld.eval_entities_per_kind: must be at least 1 and less than entities_per_kind (12) and"
                + " harmless_per_kind (3), got 3",
                error("name: sw\nsafetyworld:\n  eval_entities_per_kind: 3\n  entities_per_kind: 12\n  harmless_per_kind: 3\n"));
        assertEquals(where + "2: compute_dtype: must be f32, bf16 or auto, got 'fp8'", error("name: x\ncompute_dtype: fp8\n"));
        assertEquals(where + "1: name: missing: the study's name, e.g. name: llama-3.2-1b-srg", error("models: {base: m}\n"));
    }
}
