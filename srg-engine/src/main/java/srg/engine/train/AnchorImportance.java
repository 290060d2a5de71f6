package srg.engine.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import srg.SettingError;

/**
 * How hard the anchor pull ({@link TrainConfig#anchorDecay}) holds each weight.
 */
public enum AnchorImportance {
    /** Every held weight alike (L2-SP). */
    UNIFORM,
    /**
     * Each weight in proportion to its importance to the base's pretraining text: the diagonal of the
     * empirical Fisher information there, scaled to a mean of 1 over the held weights, so that
     * {@code anchor_decay} is the mean pull (EWC, Kirkpatrick et al. 2017, in AdamW's decoupled form;
     * {@link FisherDiagonal}). The weights the base's skills rest on are held hardest, and the rest train
     * nearly free. The trainer is given the text.
     */
    FISHER;

    private static final String SETTING = "anchor_importance";

    /** Writes the setting as run identities and study files hold it: nothing for uniform, as before it existed. */
    public void writeTo(ObjectNode o) {
        if (this == FISHER) {
            o.put(SETTING, "fisher");
        }
    }

    /** {@code uniform} or {@code fisher}; null (not given) as uniform. */
    public static AnchorImportance parse(String value) {
        if (value == null) {
            return UNIFORM;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "uniform" -> UNIFORM;
            case "fisher" -> FISHER;
            default -> throw SettingError.of(SETTING, "must be uniform or fisher, got '" + value + "'");
        };
    }
}
