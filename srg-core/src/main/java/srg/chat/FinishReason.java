package srg.chat;

/** Why a sample ended, as in the OpenAI API's {@code finish_reason}. */
public enum FinishReason {
    /** An end-of-sequence token or a stop string. */
    STOP,
    /** The max-tokens limit. */
    LENGTH,
    /** The request failed; the sample carries an error message and no text. */
    ERROR;

    /** The OpenAI wire name. */
    public String wireName() {
        return switch (this) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case ERROR -> "error";
        };
    }
}
