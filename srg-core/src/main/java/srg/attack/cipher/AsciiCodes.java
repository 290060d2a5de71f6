package srg.attack.cipher;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ASCII codes, one of CipherChat's ciphers (Yuan et al., ICLR 2024): every character as its
 * decimal code, codes separated by spaces ("hi" → "104 105"). Characters beyond ASCII are written
 * as their Unicode code point in the same way, so the round trip is lossless for any text.
 */
public final class AsciiCodes implements Cipher {

    private static final Pattern ALL_CODES = Pattern.compile("\\d{1,7}(?:\\s+\\d{1,7})*");
    private static final Pattern RUN = Pattern.compile("\\b\\d{1,7}(?:[ \\t]+\\d{1,7}){2,}\\b");

    @Override
    public String name() {
        return "ascii";
    }

    @Override
    public String displayName() {
        return "ASCII code";
    }

    @Override
    public String explanation() {
        return "In ASCII code every character is written as its decimal code number, and the numbers are "
                + "separated by spaces: 'a' is 97, 'A' is 65, a space is 32 and a line break is 10.";
    }

    @Override
    public String encode(String plain) {
        StringBuilder out = new StringBuilder(plain.length() * 4);
        plain.codePoints().forEach(cp -> {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(cp);
        });
        return out.toString();
    }

    /**
     * A reply made only of codes is decoded exactly; otherwise runs of three or more codes that
     * decode to printable text are decoded and the rest is left alone.
     */
    @Override
    public String decode(String encoded) {
        String trimmed = encoded.strip();
        if (ALL_CODES.matcher(trimmed).matches()) {
            String exact = codesToText(trimmed.split("\\s+"), false);
            if (exact != null) {
                return exact;
            }
        }
        return RUN.matcher(encoded).replaceAll(r -> {
            String text = codesToText(r.group().strip().split("[ \\t]+"), true);
            return Matcher.quoteReplacement(text != null ? text : r.group());
        });
    }

    private static String codesToText(String[] codes, boolean printableOnly) {
        StringBuilder out = new StringBuilder(codes.length);
        for (String code : codes) {
            int cp = Integer.parseInt(code);
            if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return null;
            }
            if (printableOnly && Utf8Bytes.isControl(cp)) {
                return null;
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }
}
