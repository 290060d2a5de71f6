package srg.eval;

import java.util.Locale;
import srg.SettingError;

/** How many samples to draw per attacked prompt. */
public enum SamplingMode {
    /** Always N samples; ASR@k from the unbiased estimator over all of them. */
    FULL,
    /**
     * Sample one at a time and stop at the first safe response (at most N). ASR@k is then exactly
     * "the first k samples are all unsafe", with no bias, and a safe model costs far fewer
     * generations.
     */
    SEQUENTIAL;

    public static SamplingMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SettingError.of("mode", "expected full or sequential, got '" + s + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
