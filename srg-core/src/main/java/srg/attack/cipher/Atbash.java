package srg.attack.cipher;

/**
 * The Atbash cipher: the Latin alphabet mirrored (a↔z, b↔y, ...), its own inverse. One of
 * CipherChat's ciphers (Yuan et al., ICLR 2024). Other characters pass through.
 */
public final class Atbash implements Cipher {

    @Override
    public String name() {
        return "atbash";
    }

    @Override
    public String displayName() {
        return "the Atbash Cipher";
    }

    @Override
    public String explanation() {
        return "The Atbash Cipher mirrors the alphabet: the first letter is swapped with the last, the second "
                + "with the second-to-last, and so on, so 'a' becomes 'z', 'b' becomes 'y' and 'm' becomes 'n'. "
                + "Anything that is not a letter stays as it is, and applying the cipher twice gives the text back.";
    }

    @Override
    public String encode(String plain) {
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('z' - (c - 'a')));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('Z' - (c - 'A')));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String decode(String encoded) {
        return encode(encoded);
    }
}
