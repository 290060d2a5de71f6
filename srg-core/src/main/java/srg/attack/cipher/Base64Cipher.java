package srg.attack.cipher;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base64 of the UTF-8 bytes, the obfuscation of Wei et al., "Jailbroken" (NeurIPS 2023), framed
 * as a CipherChat cipher (Yuan et al., ICLR 2024). Lossless for any text.
 */
public final class Base64Cipher implements Cipher {

    // Runs long enough not to be an English word that happens to use only Base64 letters.
    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/]{12,}={0,2}");

    @Override
    public String name() {
        return "base64";
    }

    @Override
    public String displayName() {
        return "Base64";
    }

    @Override
    public String explanation() {
        return "Base64 writes the UTF-8 bytes of a text with 64 characters (A-Z, a-z, 0-9, + and /), each character "
                + "carrying six bits, and pads the end with '=' so that the length is a multiple of four.";
    }

    @Override
    public String encode(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The whole reply when it is Base64 (line breaks allowed); otherwise each long Base64 run that
     * decodes to printable UTF-8, leaving the rest as written.
     */
    @Override
    public String decode(String encoded) {
        String compact = encoded.replaceAll("\\s+", "");
        String exact = toText(compact, false);
        if (exact != null && !compact.isEmpty()) {
            return exact;
        }
        return RUN.matcher(encoded).replaceAll(r -> {
            String text = toText(r.group(), true);
            return Matcher.quoteReplacement(text != null ? text : r.group());
        });
    }

    private static String toText(String b64, boolean printableOnly) {
        try {
            return Utf8Bytes.text(Base64.getDecoder().decode(b64), printableOnly);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
