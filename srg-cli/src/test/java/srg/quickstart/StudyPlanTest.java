package srg.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import srg.engine.train.TrainConfig;
import srg.world.SafetyData;

/** The plan's variants change what they say and nothing else; the fingerprint JSON tells them apart. */
class StudyPlanTest {

    @Test
    void loraSafetyRecipeIsItsOwnDesign() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan lora = standard.withSafety(SafetyData.Recipe.STANDARD, StudyPlan.SAFETY_EPOCHS, StudyPlan.SAFETY_LEARNING_RATE, 8);
        assertEquals(TrainConfig.Mode.FULL, standard.safety().mode());
        assertEquals(TrainConfig.Mode.LORA, lora.safety().mode());
        assertEquals(8, lora.safety().lora().rank());
        assertEquals(16.0, lora.safety().lora().alpha());
        JsonNode s = lora.toJson().get("safety");
        assertEquals(8, s.get("lora_rank").asInt());
        assertFalse(standard.toJson().get("safety").has("lora_rank"));
        assertNotEquals(standard.toJson(), lora.toJson());
        assertEquals(standard.baseJson(), lora.baseJson(), "the base model is shared");
        // Rank 0 is full fine-tuning: the same design as the standard plan.
        assertEquals(standard.toJson(), standard.withSafety(SafetyData.Recipe.STANDARD, StudyPlan.SAFETY_EPOCHS,
                StudyPlan.SAFETY_LEARNING_RATE, 0).toJson());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> standard.withSafety(SafetyData.Recipe.STANDARD, 1, 1e-3, -1));
        assertTrue(e.getMessage().contains("LoRA rank"), e.getMessage());
    }

    @Test
    void modelShapeChangesTheBaseOnly() {
        StudyPlan standard = StudyPlan.standard(1, 32);
        StudyPlan deep = standard.withModel(192, 6);
        assertEquals(6, deep.layers());
        assertEquals(192, deep.hiddenSize());
        assertEquals(6, deep.model().get("num_attention_heads").asInt());
        assertEquals(3, deep.model().get("num_key_value_heads").asInt());
        assertNotEquals(standard.baseJson(), deep.baseJson());
        assertEquals(standard.toJson().get("safety"), deep.toJson().get("safety"));
    }
}
