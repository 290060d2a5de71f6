package srg.chat;

import java.util.Objects;
import srg.SettingError;

/**
 * The tags around a reasoning model's reasoning, {@code <think>} and {@code </think>} by default:
 * a response reads {@code <think> REASONING </think> FINAL ANSWER}. Judges look at the final
 * answer; the reasoning is judged only when the user asks for it.
 *
 * @param open the opening tag
 * @param close the closing tag
 */
public record ThinkTags(String open, String close) {

    public static final ThinkTags DEFAULT = new ThinkTags("<think>", "</think>");

    public ThinkTags {
        Objects.requireNonNull(open, "open");
        Objects.requireNonNull(close, "close");
        if (open.isBlank() || close.isBlank() || open.equals(close) || open.contains(close) || close.contains(open)) {
            throw new IllegalArgumentException("think tags must be two different non-blank strings, neither inside the other");
        }
    }

    /** Reads {@code OPEN,CLOSE}; errors name the {@code think_tags} setting. */
    public static ThinkTags parse(String text) {
        int comma = text.indexOf(',');
        if (comma <= 0 || comma == text.length() - 1 || text.indexOf(',', comma + 1) >= 0) {
            throw SettingError.of("think_tags", "expected OPEN,CLOSE, e.g. <think>,</think>; got '" + text + "'");
        }
        try {
            return new ThinkTags(text.substring(0, comma).strip(), text.substring(comma + 1).strip());
        } catch (IllegalArgumentException e) {
            throw SettingError.of("think_tags", "'" + text + "': " + e.getMessage());
        }
    }

    /**
     * A response cut into its reasoning and its final answer.
     *
     * @param reasoning the text inside the tags, stripped; empty when there is none
     * @param answer the final answer, stripped: the text after the closing tag, or the whole
     *     response when it has no tags, or empty when the reasoning never closed
     * @param reasoned whether the response has reasoning (an opening or a closing tag)
     * @param finished false when the reasoning opened and never closed (the model ran out of
     *     tokens while thinking): such a response has no final answer
     */
    public record Split(String reasoning, String answer, boolean reasoned, boolean finished) {}

    /**
     * Cuts a model's response leniently, as evaluation needs it. The final answer is what follows
     * the last closing tag. A closing tag without an opening one is the usual shape of models
     * whose chat template writes the opening tag into the prompt (DeepSeek-R1, QwQ): everything
     * before it is reasoning. An opening tag that never closes leaves no final answer.
     */
    public Split split(String response) {
        int lastClose = response.lastIndexOf(close);
        int firstOpen = response.indexOf(open);
        if (lastClose >= 0) {
            int from = firstOpen >= 0 && firstOpen < lastClose ? firstOpen + open.length() : 0;
            String reasoning = response.substring(from, lastClose).replace(open, "").replace(close, "").strip();
            return new Split(reasoning, response.substring(lastClose + close.length()).strip(), true, true);
        }
        if (firstOpen >= 0) {
            return new Split(response.substring(firstOpen + open.length()).strip(), "", true, false);
        }
        return new Split("", response.strip(), false, true);
    }

    /** The canonical training target: the reasoning in tags, a blank line, then the final answer. */
    public String join(String reasoning, String answer) {
        return open + "\n" + reasoning.strip() + "\n" + close + "\n\n" + answer.strip();
    }

    /** The command-line form, {@code OPEN,CLOSE}. */
    @Override
    public String toString() {
        return open + "," + close;
    }
}
