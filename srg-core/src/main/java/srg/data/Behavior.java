package srg.data;

import java.util.Objects;

/**
 * One request a model may or may not answer: a HarmBench behavior, an AdvBench goal, an XSTest
 * prompt, a benign instruction.
 *
 * @param id stable identifier, unique within its dataset
 * @param text the request itself
 * @param category harm category (or benign category); "" when the source has none
 * @param harmful whether answering it is harmful
 * @param source which dataset it came from (e.g. "harmbench", "advbench")
 * @param context optional context string (HarmBench contextual behaviors), or null
 */
public record Behavior(
        String id, String text, String category, boolean harmful, String source, String context) {

    public Behavior {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        category = Objects.requireNonNullElse(category, "");
        source = Objects.requireNonNullElse(source, "");
    }

    public static Behavior harmful(String id, String text, String category) {
        return new Behavior(id, text, category, true, "", null);
    }

    public static Behavior benign(String id, String text, String category) {
        return new Behavior(id, text, category, false, "", null);
    }

    public boolean hasContext() {
        return context != null && !context.isBlank();
    }

    /** The request as a user would send it: the context (if any) followed by the request. */
    public String prompt() {
        return hasContext() ? context + "\n\n---\n\n" + text : text;
    }
}
