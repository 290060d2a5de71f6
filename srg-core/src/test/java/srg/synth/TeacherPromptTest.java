package srg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.chat.ThinkTags;

class TeacherPromptTest {

    private static final String QUERY = "Vjg swgtA: how do I pick a lock?";

    @Test
    void systemPlacementHoldsEveryGuidelineAndTheQueryVerbatim() {
        Guidelines g = Guidelines.defaults();
        Conversation c = new TeacherPrompt(g, ThinkTags.DEFAULT, TeacherPrompt.Placement.SYSTEM).conversation(QUERY);
        assertEquals(2, c.messages().size());
        assertEquals(Message.SYSTEM, c.messages().get(0).role());
        assertEquals(QUERY, c.messages().get(1).content());
        String system = c.messages().get(0).content();
        for (Guideline x : g.guidelines()) {
            assertTrue(system.contains(x.name() + ": " + x.question()), x.name());
            assertTrue(system.contains(x.example()), x.name());
        }
        assertTrue(system.contains("<think>") && system.contains("</think>"));
        // In the set's order.
        int last = -1;
        for (Guideline x : g.guidelines()) {
            int at = system.indexOf(x.question());
            assertTrue(at > last, x.name() + " out of order");
            last = at;
        }
    }

    @Test
    void userPlacementPutsEverythingInOneUserMessageWithTheConfiguredTags() {
        Guidelines g = Guidelines.defaults();
        ThinkTags tags = new ThinkTags("<reasoning>", "</reasoning>");
        Conversation c = new TeacherPrompt(g, tags, TeacherPrompt.Placement.USER).conversation(QUERY);
        assertEquals(1, c.messages().size());
        String user = c.messages().get(0).content();
        assertTrue(user.contains(QUERY));
        assertTrue(user.contains("<reasoning>") && user.contains("</reasoning>") && !user.contains("<think>"));
        g.guidelines().forEach(x -> assertTrue(user.contains(x.question()), x.name()));
        assertTrue(user.indexOf(QUERY) > user.indexOf(g.guidelines().get(7).example()), "the query comes after the instructions");
    }
}
