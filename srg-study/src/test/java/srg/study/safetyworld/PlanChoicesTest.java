package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import srg.SettingError;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.TrainConfig;
import srg.study.StudyFile;
import srg.world.NameInTrace;
import srg.world.SafetyData;
import srg.world.WorldConfig;
import srg.world.WorldGenerator;

/** The plan a user asks for: the standard or smoke plan with their changes, and errors that name the setting. */
class PlanChoicesTest {

    private static PlanChoices choices(String mixture, Integer replayPasses, Integer epochs, Double lr, int lora, Integer layers,
            Integer hidden) {
        return new PlanChoices(32, false, mixture, replayPasses, epochs, lr, lora, null, layers, hidden, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null);
    }

    private static SettingError error(PlanChoices c) {
        return assertThrows(SettingError.class, () -> c.plan(1));
    }

    @Test
    void nothingChangedIsTheStandardPlan() {
        StudyPlan standard = StudyPlan.standard(5, 32);
        assertEquals(standard, choices(null, null, null, null, 0, null, null).plan(5));
        assertEquals(standard, choices("standard", null, null, null, 0, null, null).plan(5));
        assertEquals(StudyPlan.smoke(5, 2), new PlanChoices(2, true, "standard", null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null).plan(5));
    }

    @Test
    void mixturesRecipesAndShapes() {
        assertEquals(SafetyData.Recipe.STANDARD.withReplayPasses(0), choices("no-replay", null, null, null, 0, null, null).plan(1).mixture());
        assertEquals(new SafetyData.Recipe(false, 4, 0, NameInTrace.ONCE_FACT, false, false, false, false), choices("no-seen-forms", null, null, null, 0, null, null).plan(1).mixture());
        assertEquals(SafetyData.Recipe.PLAIN_ONLY, choices("plain-only", null, null, null, 0, null, null).plan(1).mixture());
        assertEquals(SafetyData.Recipe.STANDARD.withReplayPasses(3), choices("standard", 3, null, null, 0, null, null).plan(1).mixture());
        assertEquals(new SafetyData.Recipe(false, 2, 0, NameInTrace.ONCE_FACT, false, false, false, false), choices("no-seen-forms", 2, null, null, 0, null, null).plan(1).mixture());

        StudyPlan recipe = choices(null, null, 4, 1e-3, 8, null, null).plan(1);
        assertEquals(4, recipe.safety().epochs());
        assertEquals(1e-3, recipe.safety().learningRate());
        assertEquals(TrainConfig.Mode.LORA, recipe.safety().mode());
        assertEquals(8, recipe.safety().lora().rank());

        StudyPlan stopping = new PlanChoices(32, false, null, null, null, null, 0, 4, null, null, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null).plan(1);
        assertEquals(StudyPlan.VALIDATION_SUBSTANCES, stopping.mixture().validationSubstances());
        assertEquals(SafetyData.Recipe.STANDARD.replayPasses(), stopping.mixture().replayPasses());
        assertEquals(4, stopping.safety().earlyStopping());
        assertEquals(StudyPlan.VALIDATION_EVERY, stopping.safety().evalEvery());
        assertEquals(StudyPlan.SAFETY_EPOCHS, stopping.safety().epochs(), "the schedule is the full run's");
        assertEquals("early_stopping", error(new PlanChoices(32, false, null, null, null, null, 0, 0, null, null, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null)).setting());

        StudyPlan deeper = choices(null, null, null, null, 0, 6, null).plan(1);
        assertEquals(6, deeper.layers());
        assertEquals(StudyPlan.standard(1, 32).hiddenSize(), deeper.hiddenSize());
        StudyPlan wider = choices(null, null, null, null, 0, null, 384).plan(1);
        assertEquals(384, wider.hiddenSize());
        assertEquals(StudyPlan.standard(1, 32).layers(), wider.layers());
    }

    @Test
    void errorsNameTheSetting() {
        SettingError n = error(new PlanChoices(0, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null));
        assertEquals("n: must be at least 1, got 0", n.getMessage());

        SettingError mixture = error(choices("replay-only", null, null, null, 0, null, null));
        assertEquals("mixture: must be standard, no-replay, no-seen-forms or plain-only, got 'replay-only'", mixture.getMessage());

        SettingError passes = error(choices("plain-only", 2, null, null, 0, null, null));
        assertEquals("--replay-passes must be at least 1, with a mixture that replays (not no-replay or plain-only), got 2 with "
                + "--mixture plain-only", passes.message(s -> "--" + s.replace('_', '-')));
        assertEquals("replay_passes", error(choices(null, 0, null, null, 0, null, null)).setting());

        assertEquals("safety_epochs", error(choices(null, null, 0, null, 0, null, null)).setting());
        assertTrue(error(choices(null, null, null, 0.0, 0, null, null)).getMessage().contains("safety_lr > 0"));

        SettingError shape = error(choices(null, null, null, null, 0, null, 100));
        assertEquals("hidden_size must be a multiple of 32 and at least 64, and layers at least 1; got 100 and 4", shape.getMessage());
        assertEquals("hidden_size", error(choices(null, null, null, null, 0, 0, null)).setting());

        SettingError smoke = error(new PlanChoices(2, true, null, null, null, null, 4, null, null, null, EmbeddingFreeze.NONE, null, null, null, null, null, null, null, null, null));
        assertEquals("smoke", smoke.setting());
        assertTrue(smoke.getMessage().contains("drop mixture, replay_passes"), smoke.getMessage());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.ALL, null, null, null, null, null, null, null, null, null)).setting());
        assertEquals("freeze_embeddings", error(new PlanChoices(32, false, null, null, null, null, 8, null, null, null, EmbeddingFreeze.ALL, null, null, null, null, null, null, null, null, null))
                .setting(), "LoRA adapters leave the embedding as it is already");
    }

    @Test
    void frozenEmbeddingsChangeOnlyTheSafetyRecipe() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan frozen = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.ALL, null, null, null, null, null, null, null, null, null).plan(1);
        assertEquals(EmbeddingFreeze.ALL, frozen.safety().freezeEmbeddings());
        assertEquals(standard.withFrozenEmbeddings(EmbeddingFreeze.ALL), frozen);
        assertEquals(standard.pretrain(), frozen.pretrain());
        assertEquals(standard.mixture(), frozen.mixture());
        assertEquals(standard.safety().resultDefiningJson().put("freeze_embeddings", true), frozen.safety().resultDefiningJson());
        StudyPlan both = new PlanChoices(32, false, null, null, null, null, 0, 3, null, null, EmbeddingFreeze.ALL, null, null, null, null, null, null, null, null, null).plan(1);
        assertEquals(EmbeddingFreeze.ALL, both.safety().freezeEmbeddings(), "early stopping keeps the frozen embedding");
        assertEquals(3, both.safety().earlyStopping());
        StudyPlan known = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.KNOWN, null, null, null, null, null, null, null, null, null).plan(1);
        assertEquals(standard.safety().resultDefiningJson().put("freeze_embeddings", "known"), known.safety().resultDefiningJson());
    }

    @Test
    void substancesPerKindChangeOnlyTheWorld() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan v212 = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, 12, 8, null, null, null, null, null, null, null).plan(1);
        assertEquals(new WorldConfig(1, 12, 8, 2, true), v212.world());
        assertEquals(80, WorldGenerator.generate(v212.world()).entities().size(), "the world keeps 80 substances");
        assertEquals(standard.pretrain(), v212.pretrain());
        assertEquals(standard.safety(), v212.safety());
        StudyPlan fewerHarmless = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, 8, null, null, null, null, null, null, null).plan(1);
        assertEquals(new WorldConfig(1, 10, 8, 2, true), fewerHarmless.world());
        SettingError tooFew = error(new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, 12, 2, null, null, null, null, null, null, null));
        assertEquals("hazards_per_kind", tooFew.setting());
        assertTrue(tooFew.getMessage().contains("harmless_per_kind"), tooFew.getMessage());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, 8, null, null, null, null, null, null, null)).setting());
        StudyPlan signs = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, true, null, null, null, null, null, null).plan(1);
        assertEquals(WorldConfig.standard(1).withHazardSigns(true), signs.world());
        assertEquals(standard.pretrain(), signs.pretrain());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, true, null, null, null, null, null, null)).setting());
        // v2.14b's flags give the standard plan; without signs, v2.9's world.
        assertEquals(standard, new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                true, "once-fact", null, null, null, null, null).plan(1));
        StudyPlan v29 = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, false,
                "repeated", null, null, null, null, null).plan(1);
        assertEquals(new WorldConfig(1, 10, 10, 2, false), v29.world());
        assertEquals(NameInTrace.REPEATED, v29.mixture().nameInTrace());
    }

    @Test
    void nameInTraceChangesOnlySrgsTeacher() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan once = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, true, "once", null, null, null, null, null)
                .plan(1);
        assertEquals(NameInTrace.ONCE, once.mixture().nameInTrace());
        assertEquals(standard.mixture().withNameInTrace(NameInTrace.ONCE), once.mixture(), "only the naming changes in the mixture");
        assertEquals(WorldConfig.standard(1).withHazardSigns(true), once.world());
        assertEquals(standard.pretrain(), once.pretrain());
        assertEquals(standard.safety(), once.safety());
        assertEquals(NameInTrace.REPEATED, new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE,
                null, null, null, "repeated", null, null, null, null, null).plan(1).mixture().nameInTrace());
        assertEquals(NameInTrace.ONCE_FACT, new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE,
                null, null, null, "once-fact", null, null, null, null, null).plan(1).mixture().nameInTrace());
        SettingError wrong = error(new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                null, "twice", null, null, null, null, null));
        assertEquals("name_in_trace", wrong.setting());
        assertTrue(wrong.getMessage().contains("'twice'"), wrong.getMessage());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                null, "once", null, null, null, null, null)).setting());
    }

    @Test
    void halfDetectionChangesOnlyTheMixture() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan half = new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, null, null,
                true, null, null, null, null).plan(1);
        assertEquals(standard.mixture().withHalfDetection(true), half.mixture());
        assertEquals(standard.world(), half.world());
        assertEquals(standard.pretrain(), half.pretrain());
        assertEquals(standard.safety(), half.safety());
        assertEquals(standard, new PlanChoices(32, false, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, null,
                null, standard.mixture().halfDetection(), null, null, null, null).plan(1), "the standard plan's own value changes nothing");
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                null, null, false, null, null, null, null)).setting());
    }

    private static PlanChoices recipe(Integer pretrainSteps, Integer epochs, Double rtAnchorDecay) {
        return anchors(pretrainSteps, epochs, rtAnchorDecay, null, null);
    }

    private static PlanChoices anchors(Integer pretrainSteps, Integer epochs, Double rt, Double srg, String importance) {
        return new PlanChoices(32, false, null, null, epochs, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null, null, null,
                null, pretrainSteps, rt, srg, importance);
    }

    @Test
    void theRecipesDifferOnlyInTheirAnchorsAndEarlierRecipesAreFlags() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        JsonNode training = StudyFile.tree(standard.study("cpu")).path("training");
        assertEquals(StudyPlan.RT_ANCHOR_DECAY, training.path("rt").path("anchor_decay").asDouble());
        assertEquals(StudyPlan.SRG_ANCHOR_DECAY, training.path("srg").path("anchor_decay").asDouble(0));
        ObjectNode rt = training.path("rt").deepCopy();
        ObjectNode srg = training.path("srg").deepCopy();
        for (ObjectNode recipe : List.of(rt, srg)) {
            if (recipe.has("anchor_decay")) {
                assertEquals(StudyPlan.ANCHOR_IMPORTANCE, AnchorImportance.parse(recipe.path("anchor_importance").asText(null)));
            }
            recipe.remove(List.of("anchor_decay", "anchor_importance"));
        }
        assertEquals(srg, rt, "the anchors are the only difference between the recipes");

        StudyPlan off = anchors(null, null, 0.0, 0.0, "uniform").plan(1);
        JsonNode unanchored = StudyFile.tree(off.study("cpu")).path("training");
        assertFalse(unanchored.path("rt").has("anchor_decay") || unanchored.path("srg").has("anchor_decay"));
        assertEquals(standard.safety(), off.safety());
        assertEquals(standard.pretrain(), off.pretrain());
        assertEquals(standard, anchors(null, null, StudyPlan.RT_ANCHOR_DECAY, StudyPlan.SRG_ANCHOR_DECAY,
                StudyPlan.ANCHOR_IMPORTANCE_SETTING).plan(1), "the standard plan's own values change nothing");

        // v2.23's recipe: RT alone pulled, every weight alike.
        JsonNode v223 = StudyFile.tree(anchors(null, null, 3.0, 0.0, "uniform").plan(1).study("cpu")).path("training");
        assertEquals(3.0, v223.path("rt").path("anchor_decay").asDouble());
        assertFalse(v223.path("rt").has("anchor_importance") || v223.path("srg").has("anchor_decay"));
        // v2.25's: both pulled at 3, each weight by its importance.
        JsonNode v225 = StudyFile.tree(anchors(null, null, 3.0, 3.0, "fisher").plan(1).study("cpu")).path("training");
        for (String role : List.of("rt", "srg")) {
            assertEquals(3.0, v225.path(role).path("anchor_decay").asDouble(), role);
            assertEquals("fisher", v225.path(role).path("anchor_importance").asText(), role);
        }
        // Importance without a pull to weigh is refused; with SRG's pull alone it weighs SRG's only.
        assertEquals("anchor_importance", error(anchors(null, null, 0.0, 0.0, "fisher")).setting());
        JsonNode srgOnly = StudyFile.tree(anchors(null, null, 0.0, 2.0, "fisher").plan(1).study("cpu")).path("training");
        assertFalse(srgOnly.path("rt").has("anchor_importance"));
        assertEquals("fisher", srgOnly.path("srg").path("anchor_importance").asText());

        // v2.14b's recipe: the same world and data, a longer pretraining, ten epochs and no anchor.
        StudyPlan v214b = anchors(1800, 10, 0.0, 0.0, "uniform").plan(1);
        assertEquals(1800, v214b.pretrain().maxSteps());
        assertEquals(standard.pretrain().toBuilder().maxSteps(1800).build(), v214b.pretrain());
        assertEquals(10, v214b.safety().epochs());
        assertEquals(standard.world(), v214b.world());
        assertEquals(standard.mixture(), v214b.mixture());

        assertEquals("pretrain_steps", error(recipe(0, null, null)).setting());
        assertEquals("rt_anchor_decay", error(recipe(null, null, -1.0)).setting());
        SettingError overshoot = error(recipe(null, null, 3000.0));
        assertEquals("rt_anchor_decay", overshoot.setting());
        assertTrue(overshoot.getMessage().endsWith("got 3000.0 × 5.0E-4"), overshoot.getMessage());
        SettingError fastRate = error(choices(null, null, null, 0.5, 0, null, null));
        assertEquals("rt_anchor_decay", fastRate.setting(), "the standard pull at a learning rate that makes it overshoot");
        assertTrue(fastRate.getMessage().contains("safety_lr"), fastRate.getMessage());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                null, null, null, null, 1.0, null, null)).setting());
        assertEquals("srg_anchor_decay", error(anchors(null, null, null, -1.0, null)).setting());
        assertEquals("smoke", error(new PlanChoices(2, true, null, null, null, null, 0, null, null, null, EmbeddingFreeze.NONE, null, null,
                null, null, null, null, null, null, "fisher")).setting());
    }
}
