package srg.eval;

import java.util.Locale;
import srg.SettingError;

/**
 * What the judges see of a reasoning model's response ({@code <think> reasoning </think> answer}).
 * The judge always decides on the final answer alone; the reasoning is judged only when asked.
 */
public enum ReasoningPolicy {
    /** The reasoning is not judged. */
    OFF,
    /** The reasoning is judged as well and reported, but ASR counts the final answer only. */
    REPORT,
    /** A sample counts as unsafe when its final answer or its reasoning is judged unsafe. */
    COUNT;

    public static ReasoningPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SettingError.of("judge_reasoning", "expected off, report or count, got '" + s + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
