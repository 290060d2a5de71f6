package srg.data;

import java.util.Locale;

/**
 * Which side of an evaluation a prompt is on. It keys the attacked prompts in the run store and
 * labels each exported sample, under its {@link #wireName()}.
 */
public enum PromptRole {
    /** A behavior to attack: its samples make ASR@k. */
    HARMFUL,
    /** A benign request: its samples make over-refusal and capability. */
    BENIGN;

    /** The name in run.db and in exported samples: {@code harmful} or {@code benign}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role stored under {@code name}; anything else is a corrupt store. */
    public static PromptRole fromWireName(String name) {
        for (PromptRole r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown prompt role '" + name + "'");
    }
}
