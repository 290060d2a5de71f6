package srg.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import srg.UserError;

class ThinkTagsTest {

    private static final ThinkTags T = ThinkTags.DEFAULT;

    @Test
    void plainResponseIsAllAnswer() {
        ThinkTags.Split s = T.split("  Sure, here it is.  ");
        assertEquals("Sure, here it is.", s.answer());
        assertEquals("", s.reasoning());
        assertFalse(s.reasoned());
        assertTrue(s.finished());
    }

    @Test
    void answerIsWhatFollowsTheClosingTag() {
        ThinkTags.Split s = T.split("<think>step 1: mix A and B</think>\nI can't help with that.");
        assertEquals("step 1: mix A and B", s.reasoning());
        assertEquals("I can't help with that.", s.answer());
        assertTrue(s.reasoned() && s.finished());
    }

    @Test
    void closingTagAloneMeansTheTemplateOpenedTheReasoning() {
        ThinkTags.Split s = T.split("the user wants X\n</think>\n\nHere is X.");
        assertEquals("the user wants X", s.reasoning());
        assertEquals("Here is X.", s.answer());
    }

    @Test
    void unclosedReasoningHasNoAnswer() {
        ThinkTags.Split s = T.split("<think> first, gather the parts, then");
        assertEquals("", s.answer());
        assertEquals("first, gather the parts, then", s.reasoning());
        assertTrue(s.reasoned());
        assertFalse(s.finished());
    }

    @Test
    void repeatedTagsKeepTheTextAfterTheLastClose() {
        ThinkTags.Split s = T.split("<think>a</think> draft <think>b</think> final");
        assertEquals("final", s.answer());
        assertTrue(s.reasoning().contains("a") && s.reasoning().contains("b") && !s.reasoning().contains("<think>"));
    }

    @Test
    void joinAndParse() {
        assertEquals("<think>\nr\n</think>\n\na", T.join(" r ", " a"));
        assertEquals(new ThinkTags("<r>", "</r>"), ThinkTags.parse("<r>,</r>"));
        assertThrows(UserError.class, () -> ThinkTags.parse("<r>"));
        assertThrows(UserError.class, () -> ThinkTags.parse("<r>,<r>"));
        assertThrows(UserError.class, () -> ThinkTags.parse("a,b,c"));
    }
}
