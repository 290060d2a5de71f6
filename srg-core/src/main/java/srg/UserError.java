package srg;

/**
 * A mistake the user can fix: a missing or malformed file, an unknown name, a bad option value.
 * The message must say what is wrong and where (file, line, field or flag); the CLI prints it as
 * one line, without a stack trace.
 */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
