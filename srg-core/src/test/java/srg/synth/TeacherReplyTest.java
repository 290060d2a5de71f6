package srg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import srg.chat.Completion;
import srg.chat.FinishReason;
import srg.chat.ThinkTags;

class TeacherReplyTest {

    private static Rejection problem(String text) {
        return TeacherReply.parse(text, ThinkTags.DEFAULT).problem();
    }

    @Test
    void wellFormedReplySplitsIntoReasoningAndAnswer() {
        TeacherReply r = TeacherReply.parse("  \n<think>\nintent: a lock question\n</think>\n\nUse a tension wrench.\n", ThinkTags.DEFAULT);
        assertTrue(r.wellFormed());
        assertEquals("intent: a lock question", r.reasoning());
        assertEquals("Use a tension wrench.", r.answer());
        assertNull(r.problem());
    }

    @Test
    void everyBrokenFormatIsARejectionNotAnException() {
        assertEquals(Rejection.MISSING_TAGS, problem("Sure, here is how."));
        assertEquals(Rejection.MISSING_OPEN_TAG, problem("intent: x\n</think> answer"));
        assertEquals(Rejection.UNCLOSED_TAG, problem("<think> intent: x, and then the tokens ran o"));
        assertEquals(Rejection.DUPLICATED_TAG, problem("<think> a </think> b <think> c </think> d"));
        assertEquals(Rejection.DUPLICATED_TAG, problem("<think> a <think> b </think> d"));
        assertEquals(Rejection.DUPLICATED_TAG, problem("<think> a </think> b </think> d"));
        assertEquals(Rejection.MISORDERED_TAGS, problem("</think> a <think> b"));
        assertEquals(Rejection.TEXT_BEFORE_REASONING, problem("Okay. <think> a </think> b"));
        assertEquals(Rejection.EMPTY_REASONING, problem("<think> \n </think> answer"));
        assertEquals(Rejection.EMPTY_ANSWER, problem("<think> a </think>\n  "));
        assertEquals(Rejection.MISSING_TAGS, problem(""));
        for (Rejection r : new Rejection[] {Rejection.MISSING_TAGS, Rejection.UNCLOSED_TAG, Rejection.EMPTY_ANSWER}) {
            assertTrue(r.isFormat());
        }
    }

    @Test
    void failedAndTruncatedCompletionsAreRejected() {
        assertEquals(Rejection.TEACHER_ERROR, TeacherReply.parse(Completion.error("503"), ThinkTags.DEFAULT).problem());
        assertEquals(Rejection.TRUNCATED,
                TeacherReply.parse(Completion.of("<think> a </think> b", FinishReason.LENGTH, 1, 1), ThinkTags.DEFAULT).problem());
    }

    @Test
    void tagsAreConfigurable() {
        ThinkTags tags = new ThinkTags("[R]", "[/R]");
        TeacherReply r = TeacherReply.parse("[R] intent: x [/R] fine", tags);
        assertEquals("fine", r.answer());
        assertEquals(Rejection.MISSING_TAGS, TeacherReply.parse("<think> x </think> y", tags).problem());
    }
}
