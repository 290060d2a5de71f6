package srg.attack;

/** One behavior could not be attacked (e.g. the rewriter model replied without the expected format). */
public class AttackException extends RuntimeException {

    public AttackException(String message) {
        super(message);
    }

    public AttackException(String message, Throwable cause) {
        super(message, cause);
    }
}
