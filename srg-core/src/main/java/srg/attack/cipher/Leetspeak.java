package srg.attack.cipher;

/**
 * Leetspeak: vowels and a few consonants written as look-alike digits (a→4, e→3, i→1, o→0, s→5,
 * t→7), one of the obfuscations of Wei et al., "Jailbroken" (NeurIPS 2023), framed here as a
 * CipherChat cipher. Decoding maps those digits back to lower-case letters, so it loses the case
 * of the substituted letters and turns real digits 0, 1, 3, 4, 5, 7 into letters; see
 * {@link #canonical}.
 */
public final class Leetspeak implements Cipher {

    private static final String LETTERS = "aeiost";
    private static final String DIGITS = "431057";

    @Override
    public String name() {
        return "leetspeak";
    }

    @Override
    public String displayName() {
        return "Leetspeak";
    }

    @Override
    public String explanation() {
        return "Leetspeak writes some letters as digits that look like them: a is 4, e is 3, i is 1, o is 0, "
                + "s is 5 and t is 7. All other characters stay as they are.";
    }

    @Override
    public String encode(String plain) {
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            int k = c < 128 ? LETTERS.indexOf(Character.toLowerCase(c)) : -1;
            out.append(k >= 0 ? DIGITS.charAt(k) : c);
        }
        return out.toString();
    }

    @Override
    public String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            int k = DIGITS.indexOf(c);
            out.append(k >= 0 ? LETTERS.charAt(k) : c);
        }
        return out.toString();
    }

    /** Substituted letters come back lower-case; digits that leetspeak uses come back as letters. */
    @Override
    public String canonical(String plain) {
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            char lower = Character.toLowerCase(c);
            if (c < 128 && LETTERS.indexOf(lower) >= 0) {
                out.append(lower);
            } else if (DIGITS.indexOf(c) >= 0) {
                out.append(LETTERS.charAt(DIGITS.indexOf(c)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
