package srg.attack.cipher;

/**
 * The Caesar cipher of the cipher attacks (SafetyWorld has its own, {@link srg.world.Caesar}): each
 * Latin letter moves {@code shift} places along the alphabet (3 in CipherChat, Yuan et al., ICLR
 * 2024); ROT13 is the shift of 13 (Wei et al., "Jailbroken", NeurIPS 2023). Other characters,
 * Unicode letters included, pass through, so it is lossless.
 */
public final class CaesarCipher implements Cipher {

    private final String name;
    private final int shift;

    public CaesarCipher(int shift) {
        this("caesar", shift);
    }

    private CaesarCipher(String name, int shift) {
        if (shift < 1 || shift > 25) {
            throw new IllegalArgumentException("shift must be in [1, 25]");
        }
        this.name = name;
        this.shift = shift;
    }

    /** ROT13: the Caesar shift of 13, its own inverse. */
    public static CaesarCipher rot13() {
        return new CaesarCipher("rot13", 13);
    }

    public int shift() {
        return shift;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String displayName() {
        return name.equals("rot13") ? "ROT13" : "the Caesar Cipher";
    }

    @Override
    public String explanation() {
        String subject = name.equals("rot13") ? "ROT13" : "The Caesar Cipher";
        return subject + " replaces every letter with the letter " + shift
                + " places further along the alphabet, wrapping around from z back to a; "
                + "anything that is not a letter stays as it is. With this shift, 'a' becomes '"
                + encode("a") + "' and 'z' becomes '" + encode("z") + "'.";
    }

    @Override
    public String encode(String plain) {
        return rotate(plain, shift);
    }

    @Override
    public String decode(String encoded) {
        return rotate(encoded, 26 - shift);
    }

    private static String rotate(String s, int by) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + by) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('A' + (c - 'A' + by) % 26));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
