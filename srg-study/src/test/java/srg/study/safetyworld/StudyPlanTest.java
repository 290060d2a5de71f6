package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import srg.SettingError;
import srg.engine.train.TrainConfig;
import srg.study.StudyFile;
import srg.world.SafetyData;

/** The plan's variants change what they say and nothing else; their study files tell them apart. */
class StudyPlanTest {

    /** The plan as the study file writes it. */
    private static JsonNode tree(StudyPlan plan) {
        return StudyFile.tree(plan.study("cpu"));
    }

    @Test
    void loraSafetyRecipeIsItsOwnDesign() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan lora = standard.withSafety(SafetyData.Recipe.STANDARD, StudyPlan.SAFETY_EPOCHS, StudyPlan.SAFETY_LEARNING_RATE, 8);
        assertEquals(TrainConfig.Mode.FULL, standard.safety().mode());
        assertEquals(TrainConfig.Mode.LORA, lora.safety().mode());
        assertEquals(8, lora.safety().lora().rank());
        assertEquals(16.0, lora.safety().lora().alpha());
        JsonNode s = tree(lora).path("training").path("rt");
        assertEquals(8, s.get("lora_rank").asInt());
        assertFalse(tree(standard).path("training").path("rt").has("lora_rank"));
        assertNotEquals(tree(standard), tree(lora));
        assertEquals(standard.study("cpu").world().baseJson(), lora.study("cpu").world().baseJson(), "the base model is shared");
        // Rank 0 is full fine-tuning: the same design as the standard plan.
        assertEquals(tree(standard), tree(standard.withSafety(SafetyData.Recipe.STANDARD, StudyPlan.SAFETY_EPOCHS,
                StudyPlan.SAFETY_LEARNING_RATE, 0)));
        SettingError e = assertThrows(SettingError.class, () -> standard.withSafety(SafetyData.Recipe.STANDARD, 1, 1e-3, -1));
        assertEquals("safety_epochs", e.setting());
        assertTrue(e.getMessage().contains("safety_lora >= 0") && e.getMessage().endsWith("got 1, 0.001 and -1"), e.getMessage());
    }

    @Test
    void modelShapeChangesTheBaseOnly() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan deep = standard.withModel(192, 6);
        assertEquals(6, deep.layers());
        assertEquals(192, deep.hiddenSize());
        assertEquals(6, deep.model().get("num_attention_heads").asInt());
        assertEquals(3, deep.model().get("num_key_value_heads").asInt());
        assertNotEquals(standard.study("cpu").world().baseJson(), deep.study("cpu").world().baseJson());
        assertEquals(tree(standard).path("training"), tree(deep).path("training"));
    }
}
