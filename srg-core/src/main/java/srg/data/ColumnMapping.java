package srg.data;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column (CSV) or field (JSON) holds each part of a {@link Behavior}. A null name means the
 * source has no such column: ids are then made from the row number, and the harmful flag comes
 * from the caller.
 *
 * @param id a unique identifier
 * @param text the request itself (required)
 * @param category harm or benign category
 * @param context a context string shown before the request (HarmBench contextual behaviors)
 * @param label whether the row is harmful: {@code unsafe/harmful/1/true/yes} or
 *     {@code safe/benign/harmless/0/false/no}
 */
public record ColumnMapping(String id, String text, String category, String context, String label) {

    public static final ColumnMapping NONE = new ColumnMapping(null, null, null, null, null);

    /** Column names tried, in order, when a generic file's mapping does not name the text column. */
    static final List<String> TEXT_CANDIDATES =
            List.of("prompt", "behavior", "goal", "instruction", "forbidden_prompt", "question", "query", "request", "text");

    /** Returns this mapping with every non-null field of {@code overrides} replacing its own. */
    public ColumnMapping with(ColumnMapping overrides) {
        return new ColumnMapping(
                either(overrides.id, id),
                either(overrides.text, text),
                either(overrides.category, category),
                either(overrides.context, context),
                either(overrides.label, label));
    }

    private static String either(String override, String preset) {
        return override != null ? override : preset;
    }

    /** Reads a mapping from {@code key=value} pairs (keys: id, text, category, context, label). */
    static ColumnMapping fromPairs(Map<String, String> pairs) {
        return new ColumnMapping(pairs.get("id"), pairs.get("text"), pairs.get("category"), pairs.get("context"), pairs.get("label"));
    }

    /**
     * Parses a label cell into the harmful flag, or returns null when the value is not a label
     * srg knows (the caller reports it with its location).
     */
    static Boolean parseHarmful(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "unsafe", "harmful", "1", "true", "yes" -> Boolean.TRUE;
            case "safe", "benign", "harmless", "0", "false", "no" -> Boolean.FALSE;
            default -> null;
        };
    }
}
