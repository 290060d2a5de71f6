package srg;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A user error about a setting, named as core and engine know it ({@code epochs}, {@code layers},
 * {@code device}): the command line shows its flag ({@code --epochs}), a study file its key and
 * line ({@code study.yaml:12: training.srg.epochs}). Core and engine never write a flag or a key
 * themselves.
 *
 * <p>Three shapes: the setting's value is wrong ({@link #of}: "NAME: problem"), another mistake
 * that the setting can work around ({@link #hint}: "problem (NAME advice)"), or a sentence that
 * names several settings where it needs them ({@link #naming}: "{out} X holds files; pass {force}").
 */
public class SettingError extends UserError {

    private final List<String> settings;
    /** The message, given how the user names a setting. */
    private final Function<UnaryOperator<String>, String> wording;

    private SettingError(List<String> settings, Function<UnaryOperator<String>, String> wording) {
        super(wording.apply(UnaryOperator.identity()));
        this.settings = List.copyOf(settings);
        this.wording = wording;
    }

    /** {@code setting}'s value is wrong: "setting: problem". */
    public static SettingError of(String setting, String problem) {
        return new SettingError(List.of(setting), name -> name.apply(setting) + ": " + problem);
    }

    /** A mistake that {@code setting} can work around: "problem (setting advice)". */
    public static SettingError hint(String problem, String setting, String advice) {
        return new SettingError(List.of(setting), name -> problem + " (" + name.apply(setting) + " " + advice + ")");
    }

    /**
     * A sentence that names {@code settings} where it needs them: each {@code {NAME}} in
     * {@code text} is the setting NAME ({@code "{out} " + dir + " holds files; pass {force}"}).
     * Braces around anything else stay as they are.
     */
    public static SettingError naming(String text, String... settings) {
        for (String s : settings) {
            if (!text.contains("{" + s + "}")) {
                throw new IllegalArgumentException("the text does not name the setting " + s + ": " + text);
            }
        }
        return new SettingError(List.of(settings), name -> {
            String out = text;
            for (String s : settings) {
                out = out.replace("{" + s + "}", name.apply(s));
            }
            return out;
        });
    }

    /** The setting, as core and engine name it (the first, when the message names several). */
    public String setting() {
        return settings.get(0);
    }

    /** The message with each setting named by {@code name} (a flag, or a study file's key). */
    public String message(UnaryOperator<String> name) {
        return wording.apply(name);
    }

    /** The same error, with the setting as the user wrote it ({@code --lr}, {@code training.srg.lr}). */
    public UserError renamed(UnaryOperator<String> name) {
        return new UserError(message(name), this);
    }
}
