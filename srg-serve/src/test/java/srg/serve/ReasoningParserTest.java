package srg.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import srg.chat.ThinkTags;

class ReasoningParserTest {

    private static final ThinkTags TAGS = ThinkTags.DEFAULT;

    /** {reasoning, content, reasoned} for the whole text at once. */
    private static String[] whole(String text, boolean opened) {
        ReasoningParser p = new ReasoningParser(TAGS, opened);
        ReasoningParser.Parts a = p.accept(text);
        ReasoningParser.Parts b = p.finish();
        return new String[] {a.reasoning() + b.reasoning(), a.content() + b.content(), String.valueOf(p.reasoned())};
    }

    /** The same, fed in pieces of {@code size} characters, as a stream gives it. */
    private static String[] streamed(String text, boolean opened, int size) {
        ReasoningParser p = new ReasoningParser(TAGS, opened);
        StringBuilder r = new StringBuilder();
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < text.length(); i += size) {
            ReasoningParser.Parts parts = p.accept(text.substring(i, Math.min(text.length(), i + size)));
            r.append(parts.reasoning());
            c.append(parts.content());
        }
        ReasoningParser.Parts end = p.finish();
        return new String[] {r.append(end.reasoning()).toString(), c.append(end.content()).toString(), String.valueOf(p.reasoned())};
    }

    private static void check(String text, boolean opened, String reasoning, String content, boolean reasoned) {
        String[] expected = {reasoning, content, String.valueOf(reasoned)};
        assertEquals(String.join("|", expected), String.join("|", whole(text, opened)), text);
        for (int size = 1; size <= 4; size++) {
            assertEquals(String.join("|", expected), String.join("|", streamed(text, opened, size)), text + " in pieces of " + size);
        }
    }

    @Test
    void splitsReasoningFromTheAnswerWholeOrStreamed() {
        check("<think>\nThe user asks for X.  It is harmful.\n</think>\n\nI can't help with that.", false,
                "The user asks for X.  It is harmful.", "I can't help with that.", true);
        check("  <think>a < b and c</thin k</think>done ", false, "a < b and c</thin k", "done ", true);
    }

    @Test
    void aResponseWithoutTheOpeningTagIsAllContent() {
        check("Sure, here is <think> a poem", false, "", "Sure, here is <think> a poem", false);
        check("  plain ", false, "", "  plain ", false);
        check("<thi", false, "", "<thi", false);
    }

    @Test
    void unclosedReasoningHasNoContent() {
        check("<think>still thinking  ", false, "still thinking", "", true);
    }

    @Test
    void aTemplateThatOpensTheReasoningStartsInside() {
        assertTrue(ReasoningParser.opensReasoning("<|im_start|>assistant\n<think>\n", TAGS));
        assertFalse(ReasoningParser.opensReasoning("<|im_start|>assistant\n", TAGS));
        check("plan first\n</think>\nanswer", true, "plan first", "answer", true);
        check("no end in sight", true, "no end in sight", "", true);
    }
}
