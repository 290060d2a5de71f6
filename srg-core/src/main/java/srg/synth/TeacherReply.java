package srg.synth;

import srg.chat.Completion;
import srg.chat.FinishReason;
import srg.chat.ThinkTags;

/**
 * A teacher sample read strictly: exactly one opening and one closing tag, in that order, nothing
 * but white space before the opening tag, non-empty reasoning and a non-empty final answer.
 * A reply that breaks any of these is a rejected sample with its reason, never an exception.
 *
 * @param reasoning the text between the tags, stripped (empty when the format is broken)
 * @param answer the text after the closing tag, stripped (empty when the format is broken)
 * @param problem the format problem, or null for a well-formed reply
 */
public record TeacherReply(String reasoning, String answer, Rejection problem) {

    public boolean wellFormed() {
        return problem == null;
    }

    public static TeacherReply parse(Completion completion, ThinkTags tags) {
        if (completion.isError()) {
            return broken(Rejection.TEACHER_ERROR);
        }
        if (completion.finishReason() == FinishReason.LENGTH) {
            return broken(Rejection.TRUNCATED);
        }
        return parse(completion.text(), tags);
    }

    public static TeacherReply parse(String text, ThinkTags tags) {
        int opens = count(text, tags.open());
        int closes = count(text, tags.close());
        if (opens > 1 || closes > 1) {
            return broken(Rejection.DUPLICATED_TAG);
        }
        if (opens == 0) {
            return broken(closes == 0 ? Rejection.MISSING_TAGS : Rejection.MISSING_OPEN_TAG);
        }
        if (closes == 0) {
            return broken(Rejection.UNCLOSED_TAG);
        }
        int open = text.indexOf(tags.open());
        int close = text.indexOf(tags.close());
        if (close < open) {
            return broken(Rejection.MISORDERED_TAGS);
        }
        if (!text.substring(0, open).isBlank()) {
            return broken(Rejection.TEXT_BEFORE_REASONING);
        }
        String reasoning = text.substring(open + tags.open().length(), close).strip();
        String answer = text.substring(close + tags.close().length()).strip();
        if (reasoning.isEmpty()) {
            return broken(Rejection.EMPTY_REASONING);
        }
        if (answer.isEmpty()) {
            return broken(Rejection.EMPTY_ANSWER);
        }
        return new TeacherReply(reasoning, answer, null);
    }

    private static TeacherReply broken(Rejection problem) {
        return new TeacherReply("", "", problem);
    }

    private static int count(String text, String tag) {
        int n = 0;
        for (int at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length())) {
            n++;
        }
        return n;
    }
}
