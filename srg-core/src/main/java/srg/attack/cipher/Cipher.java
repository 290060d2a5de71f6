package srg.attack.cipher;

/**
 * A reversible encoding of text, as used by CipherChat (Yuan et al., ICLR 2024): the request is
 * sent encoded and the model is asked to answer in the same cipher, so the answer must be decoded
 * before it is judged.
 *
 * <p>{@link #decode} is total: it never throws, and leaves what it cannot decode as it is, because
 * it runs on whatever a model wrote back (often half cipher, half plain English).
 */
public interface Cipher {

    /** The command-line name, e.g. {@code caesar}. */
    String name();

    /** The name used in the prompt, e.g. "the Caesar Cipher". */
    String displayName();

    /** How the cipher works, in a few sentences of the system prompt. */
    String explanation();

    String encode(String plain);

    String decode(String encoded);

    /**
     * What survives {@code decode(encode(plain))}: the text itself for lossless ciphers; Morse
     * code and leetspeak lose letter case, and leetspeak cannot tell its digits from real ones.
     */
    default String canonical(String plain) {
        return plain;
    }

    /** "For example, "hello world" becomes "khoor zruog"." with the cipher's own output. */
    default String example() {
        String sample = "How are you today?";
        return "For example, \"" + sample + "\" becomes \"" + encode(sample) + "\".";
    }
}
