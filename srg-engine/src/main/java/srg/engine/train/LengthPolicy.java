package srg.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.SettingError;

/** What happens to a sequence longer than the maximum length: it is dropped, or cut to fit. */
public enum LengthPolicy {
    DROP,
    TRUNCATE;

    public static LengthPolicy parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "drop" -> DROP;
            case "truncate" -> TRUNCATE;
            default -> throw SettingError.of("long", "unknown policy \"" + s + "\" (use drop or truncate)");
        };
    }

    /**
     * The examples that fit.
     *
     * @param dropped too long and dropped (DROP), or truncated down to no target token (TRUNCATE)
     * @param truncated cut to the maximum length and kept
     * @param withoutTargets examples that had no target token at all, dropped
     */
    public record Fitted(List<TrainingExample> examples, int dropped, int truncated, int withoutTargets) {}

    public Fitted apply(List<TrainingExample> examples, int maxLength) {
        if (maxLength < 2) {
            throw SettingError.of("max_seq_len", "must be at least 2, got " + maxLength);
        }
        List<TrainingExample> kept = new ArrayList<>();
        int dropped = 0;
        int truncated = 0;
        int empty = 0;
        for (TrainingExample e : examples) {
            if (e.targetCount() == 0) {
                empty++;
                continue;
            }
            if (e.length() <= maxLength) {
                kept.add(e);
            } else if (this == DROP) {
                dropped++;
            } else {
                TrainingExample cut = e.truncate(maxLength);
                if (cut.targetCount() == 0) {
                    dropped++;
                } else {
                    kept.add(cut);
                    truncated++;
                }
            }
        }
        return new Fitted(kept, dropped, truncated, empty);
    }
}
