package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import srg.attack.PlainPrompt;
import srg.world.Disguise;
import srg.world.DisguiseAttack;

class StudySummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The models' figures with only the base's plain capability (helpful@1 on plain benign requests). */
    private static ObjectNode baseAnswering(double helpful) {
        ObjectNode models = JSON.createObjectNode();
        models.putObject("base").putObject("capability").putObject(PlainPrompt.NAME).put("helpful_at_1", helpful);
        return models;
    }

    private static DecodeCheck reading(int correct, int total) {
        return new DecodeCheck(Map.of(Disguise.CIPHER, correct), Map.of(Disguise.CIPHER, total));
    }

    @Test
    void aBaseThatReadsDisguisesButCannotAnswerIsFlagged() {
        // Development world 1 after 480 pretraining steps: read 631 of 638 probes back, answered 9.0%.
        JsonNode w = StudySummary.warnings(baseAnswering(0.09), reading(631, 638));
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).asText().contains("answers only 9%"), w.toString());
        assertTrue(w.get(0).asText().contains("safetyworld.pretrain.max_steps"), w.toString());
    }

    @Test
    void aBaseThatLearnedNothingGetsBothWarnings() {
        // Seed 404 after 480 steps: read 43% of the probes and answered 6.6% of plain benign requests.
        JsonNode w = StudySummary.warnings(baseAnswering(0.066), reading(254, 594));
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).asText().startsWith("decode:") && w.get(1).asText().startsWith("capability:"), w.toString());
    }

    @Test
    void aWorkingBaseHasNoWarning() {
        // Seed 101's base, the weakest that learned its world: 64% read, 25% answered.
        assertEquals(0, StudySummary.warnings(baseAnswering(0.25), reading(380, 594)).size());
        // No evaluation of the base (a study without it): nothing measured, nothing to warn about.
        assertEquals(0, StudySummary.warnings(JSON.createObjectNode(), reading(541, 594)).size());
    }

    @Test
    void theOutcomeTableLinesUpEveryFormUnderItsModels() {
        // The longest label, "sw-prefix-injection (unseen)", once pushed its row six columns right.
        ObjectNode root = JSON.createObjectNode().put("n", 32);
        ObjectNode models = root.putObject("models");
        for (String m : new String[] {"base", "rt", "srg"}) {
            ObjectNode attacks = models.putObject(m).putObject("attacks");
            attacks.putObject(PlainPrompt.NAME).putObject("outcomes_at_1").put("unsafe", 1.0).put("refusal", 0.0).put("other", 0.0);
            for (Disguise d : Disguise.values()) {
                attacks.putObject(DisguiseAttack.nameOf(d)).putObject("outcomes_at_1")
                        .put("unsafe", 0.25).put("refusal", 0.5).put("other", 0.25);
            }
        }
        String[] lines = new StudySummary(root).table().split("\n");
        int rows = 1 + 1 + Disguise.values().length; // the header, the plain form, each disguise
        for (int i = 0; i < rows; i++) {
            assertEquals(lines[0].length(), lines[i].length(), "line " + i + " of the outcome table:\n" + lines[i]);
        }
        assertTrue(lines[rows - 1].startsWith(DisguiseAttack.nameOf(Disguise.values()[Disguise.values().length - 1])), lines[rows - 1]);
    }
}
