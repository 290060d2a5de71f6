package srg;

import java.util.function.UnaryOperator;

/**
 * A user error about a setting, named as core and engine know it ({@code epochs}, {@code layers},
 * {@code device}): the command line shows its flag ({@code --epochs}), a study file its key and
 * line ({@code study.yaml:12: training.srg.epochs}). Core and engine never write a flag or a key
 * themselves.
 *
 * <p>Two shapes: the setting's value is wrong ({@link #of}: "NAME: problem"), or another mistake
 * that the setting can work around ({@link #hint}: "problem (NAME advice)").
 */
public class SettingError extends UserError {

    private final String setting;
    private final String problem;
    private final String advice;

    private SettingError(String setting, String problem, String advice) {
        super(render(setting, problem, advice));
        this.setting = setting;
        this.problem = problem;
        this.advice = advice;
    }

    /** {@code setting}'s value is wrong: "setting: problem". */
    public static SettingError of(String setting, String problem) {
        return new SettingError(setting, problem, null);
    }

    /** A mistake that {@code setting} can work around: "problem (setting advice)". */
    public static SettingError hint(String problem, String setting, String advice) {
        return new SettingError(setting, problem, advice);
    }

    /** The setting, as core and engine name it. */
    public String setting() {
        return setting;
    }

    /** The message with the setting named by {@code name} (a flag, or a study file's key). */
    public String message(UnaryOperator<String> name) {
        return render(name.apply(setting), problem, advice);
    }

    /** The same error, with the setting as the user wrote it ({@code --lr}, {@code training.srg.lr}). */
    public UserError renamed(UnaryOperator<String> name) {
        return new UserError(message(name), this);
    }

    private static String render(String setting, String problem, String advice) {
        return advice == null ? setting + ": " + problem : problem + " (" + setting + " " + advice + ")";
    }
}
