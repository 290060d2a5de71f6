package srg.attack.cipher;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * International Morse code, one of CipherChat's ciphers (Yuan et al., ICLR 2024). Letters are
 * separated by a space and words by {@code /}; each line is encoded on its own line.
 *
 * <p>Morse has no case, so text is upper-cased first ({@link #canonical}). A character without a
 * Morse code (accented letters, CJK, emoji, tabs) is written as itself, as one token, so the round
 * trip is otherwise lossless.
 */
public final class Morse implements Cipher {

    private static final String[][] TABLE = {
        {"A", ".-"}, {"B", "-..."}, {"C", "-.-."}, {"D", "-.."}, {"E", "."}, {"F", "..-."}, {"G", "--."},
        {"H", "...."}, {"I", ".."}, {"J", ".---"}, {"K", "-.-"}, {"L", ".-.."}, {"M", "--"}, {"N", "-."},
        {"O", "---"}, {"P", ".--."}, {"Q", "--.-"}, {"R", ".-."}, {"S", "..."}, {"T", "-"}, {"U", "..-"},
        {"V", "...-"}, {"W", ".--"}, {"X", "-..-"}, {"Y", "-.--"}, {"Z", "--.."},
        {"0", "-----"}, {"1", ".----"}, {"2", "..---"}, {"3", "...--"}, {"4", "....-"}, {"5", "....."},
        {"6", "-...."}, {"7", "--..."}, {"8", "---.."}, {"9", "----."},
        {".", ".-.-.-"}, {",", "--..--"}, {"?", "..--.."}, {"'", ".----."}, {"!", "-.-.--"}, {"/", "-..-."},
        {"(", "-.--."}, {")", "-.--.-"}, {"&", ".-..."}, {":", "---..."}, {";", "-.-.-."}, {"=", "-...-"},
        {"+", ".-.-."}, {"-", "-....-"}, {"_", "..--.-"}, {"\"", ".-..-."}, {"$", "...-..-"}, {"@", ".--.-."},
    };
    private static final Map<Integer, String> ENCODE = new HashMap<>();
    private static final Map<String, String> DECODE = new HashMap<>();

    static {
        for (String[] row : TABLE) {
            ENCODE.put(row[0].codePointAt(0), row[1]);
            DECODE.put(row[1], row[0]);
        }
    }

    @Override
    public String name() {
        return "morse";
    }

    @Override
    public String displayName() {
        return "Morse Code";
    }

    @Override
    public String explanation() {
        return "Morse Code writes every letter, digit and common punctuation mark as a short sequence of dots (.) "
                + "and dashes (-): 'e' is '.', 't' is '-', 'a' is '.-' and 's' is '...'. Letters are separated by "
                + "one space and words by a slash (/); characters that have no Morse code are written as they are.";
    }

    @Override
    public String encode(String plain) {
        String[] lines = plain.toUpperCase(Locale.ROOT).split("\n", -1);
        StringBuilder out = new StringBuilder(plain.length() * 4);
        for (int l = 0; l < lines.length; l++) {
            if (l > 0) {
                out.append('\n');
            }
            String line = lines[l];
            boolean first = true;
            for (int i = 0; i < line.length(); ) {
                int cp = line.codePointAt(i);
                i += Character.charCount(cp);
                if (!first) {
                    out.append(' ');
                }
                first = false;
                if (cp == ' ') {
                    out.append('/');
                } else {
                    String code = ENCODE.get(cp);
                    out.append(code != null ? code : new String(Character.toChars(cp)));
                }
            }
        }
        return out.toString();
    }

    /**
     * Decodes token by token; a token that is not a known code (a word a model wrote in plain
     * text, a character that had no code) is kept as it is.
     */
    @Override
    public String decode(String encoded) {
        String[] lines = encoded.split("\n", -1);
        StringBuilder out = new StringBuilder(encoded.length());
        for (int l = 0; l < lines.length; l++) {
            if (l > 0) {
                out.append('\n');
            }
            for (String token : lines[l].split(" ", -1)) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.equals("/")) {
                    out.append(' ');
                } else {
                    out.append(DECODE.getOrDefault(token, token));
                }
            }
        }
        return out.toString();
    }

    @Override
    public String canonical(String plain) {
        return plain.toUpperCase(Locale.ROOT);
    }
}
