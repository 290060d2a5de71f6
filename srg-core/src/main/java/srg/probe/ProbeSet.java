package srg.probe;

import java.util.List;
import java.util.regex.Pattern;
import srg.UserError;

/**
 * A named set of prompts whose hidden states are compared: the in-distribution (ID) harmful and
 * benign sets the probe is trained on, and any number of out-of-distribution (OOD) sets, such as
 * the ID harmful behaviors disguised by an attack.
 */
public record ProbeSet(String name, List<ProbePrompt> prompts) {

    /** The reserved name of the ID harmful set. */
    public static final String ID_HARMFUL = "id_harmful";
    /** The reserved name of the ID benign set. */
    public static final String ID_BENIGN = "id_benign";

    // Set names become file names in the hidden-state store; attack composites use '+'.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,99}");

    public ProbeSet {
        prompts = List.copyOf(prompts);
        checkName(name, "probe set");
    }

    /** What part a set plays in the analyses, decided by its name. */
    public enum Role {
        ID_HARMFUL,
        ID_BENIGN,
        OOD
    }

    public Role role() {
        return roleOf(name);
    }

    public static Role roleOf(String setName) {
        return switch (setName) {
            case ID_HARMFUL -> Role.ID_HARMFUL;
            case ID_BENIGN -> Role.ID_BENIGN;
            default -> Role.OOD;
        };
    }

    /** Throws a {@link UserError} naming {@code where} unless {@code name} can be a set name. */
    public static void checkName(String name, String where) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UserError(where + ": set name '" + name
                    + "' must be 1-100 characters of letters, digits, '.', '_', '+' or '-', not starting with '.'");
        }
    }
}
