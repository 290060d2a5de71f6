package srg.engine.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import srg.SettingError;

/**
 * Which rows of the token embedding (and of the LM head, tied or not) full fine-tuning leaves as
 * the base had them. Cross-entropy lowers the logit of every vocabulary entry but the target at
 * each position, so fine-tuning on a few names moves the rows of names it never shows, and a model
 * can lose a word it knew; a frozen row cannot drift. Nor can it learn, which is why {@link #KNOWN}
 * exists: it keeps what pretraining wrote and lets the words pretraining never used be learned.
 */
public enum EmbeddingFreeze {
    /** Every row trains. */
    NONE,
    /** No row trains: a word the base never used stays unwritable (docs/SAFETYWORLD.md, "v2.7 candidate"). */
    ALL,
    /**
     * The rows of the tokens the base knows, those of its pretraining text, stay; the rows of
     * tokens it never read train. The trainer is given the known tokens.
     */
    KNOWN;

    private static final String SETTING = "freeze_embeddings";

    /**
     * Writes the setting under {@code freeze_embeddings}, as run identities and study files hold
     * it: nothing for none, true for all (as before known existed, so that earlier runs keep their
     * identity and earlier study files read back), and "known".
     */
    public void writeTo(ObjectNode o) {
        switch (this) {
            case NONE -> { }
            case ALL -> o.put(SETTING, true);
            case KNOWN -> o.put(SETTING, "known");
        }
    }

    /**
     * {@code none}, {@code all} or {@code known}; true and false as all and none, as before
     * {@code known} existed; null (not given) as none.
     */
    public static EmbeddingFreeze parse(String value) {
        if (value == null) {
            return NONE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none", "false" -> NONE;
            case "all", "true" -> ALL;
            case "known" -> KNOWN;
            default -> throw SettingError.of(SETTING, "must be none, all or known, got '" + value + "'");
        };
    }
}
