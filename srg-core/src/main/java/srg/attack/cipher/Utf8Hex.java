package srg.attack.cipher;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UTF-8 hex, CipherChat's "UTF" cipher (Yuan et al., ICLR 2024): the text's UTF-8 bytes as
 * two-digit hexadecimal numbers separated by spaces ("hi" → "68 69"). Lossless for any text.
 */
public final class Utf8Hex implements Cipher {

    private static final Pattern BYTE = Pattern.compile("(?:\\\\x|0x)?([0-9A-Fa-f]{2})");
    private static final Pattern RUN = Pattern.compile(
            "(?<![0-9A-Za-z])(?:\\\\x|0x)?[0-9A-Fa-f]{2}(?:[ \\t,]+(?:\\\\x|0x)?[0-9A-Fa-f]{2}){2,}(?![0-9A-Za-z])");

    @Override
    public String name() {
        return "utf8-hex";
    }

    @Override
    public String displayName() {
        return "UTF-8 hex";
    }

    @Override
    public String explanation() {
        return "In UTF-8 hex every character is written as the bytes of its UTF-8 encoding, each byte as two "
                + "hexadecimal digits, with the bytes separated by spaces: 'a' is 61, a space is 20, and a letter "
                + "outside English such as 'é' takes two bytes, C3 A9.";
    }

    @Override
    public String encode(String plain) {
        byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }

    /**
     * A reply made only of bytes is decoded exactly; otherwise runs of three or more bytes that form
     * valid, printable UTF-8 are decoded and the rest is left alone.
     */
    @Override
    public String decode(String encoded) {
        String trimmed = encoded.strip();
        String exact = bytesToText(trimmed, false);
        if (exact != null) {
            return exact;
        }
        return RUN.matcher(encoded).replaceAll(r -> {
            String text = bytesToText(r.group(), true);
            return Matcher.quoteReplacement(text != null ? text : r.group());
        });
    }

    /** The text these hex bytes spell, or null when they are not all bytes or not valid UTF-8. */
    private static String bytesToText(String run, boolean printableOnly) {
        String[] tokens = run.strip().split("[\\s,]+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return null;
        }
        byte[] bytes = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            Matcher m = BYTE.matcher(tokens[i]);
            if (!m.matches()) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(m.group(1), 16);
        }
        return Utf8Bytes.text(bytes, printableOnly);
    }
}
