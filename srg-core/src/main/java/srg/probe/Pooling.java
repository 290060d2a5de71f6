package srg.probe;

import com.fasterxml.jackson.annotation.JsonValue;
import srg.UserError;

/**
 * How one prompt's per-token hidden states at a layer become one vector.
 *
 * <p>{@link #LAST_TOKEN} is the state at the last prompt token, after the chat template's
 * generation prompt: the position from which the model's first answer token is predicted, so
 * the one that carries its decision to refuse (as in refusal-direction studies).
 * {@link #MEAN} averages over all prompt tokens and describes what the prompt is about.
 */
public enum Pooling {
    LAST_TOKEN("last_token"),
    MEAN("mean");

    private final String key;

    Pooling(String key) {
        this.key = key;
    }

    /** The name used in files and on the command line. */
    @JsonValue
    public String key() {
        return key;
    }

    /** Position of this pooling in a stored row ({@code [layers][2][hidden]}). */
    int slot() {
        return ordinal();
    }

    public static Pooling fromKey(String key) {
        for (Pooling p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new UserError("unknown pooling '" + key + "' (known: last_token, mean)");
    }
}
