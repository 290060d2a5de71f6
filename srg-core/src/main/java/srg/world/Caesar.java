package srg.world;

/**
 * SafetyWorld's cipher: every letter shifted three places (CipherChat's Caesar), applied word by
 * word so that a ciphered word is one token of the world's word-level tokenizer.
 */
public final class Caesar {

    private static final int SHIFT = 3;

    private Caesar() {}

    public static String encode(String text) {
        return shift(text, SHIFT);
    }

    public static String decode(String text) {
        return shift(text, 26 - SHIFT);
    }

    private static String shift(String text, int by) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + by) % 26));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
