package srg.world;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SafetyWorld's second language: a one-to-one word map from the world's plain words to invented
 * ones. Substance and ingredient names are kept, as real translations keep proper nouns.
 */
public final class Lexicon {

    private final Map<String, String> toForeign;
    private final Map<String, String> toPlain;

    Lexicon(Map<String, String> toForeign) {
        this.toForeign = Collections.unmodifiableMap(new LinkedHashMap<>(toForeign));
        Map<String, String> back = new LinkedHashMap<>();
        toForeign.forEach((plain, foreign) -> back.put(foreign, plain));
        this.toPlain = Collections.unmodifiableMap(back);
    }

    public Map<String, String> foreignWords() {
        return toForeign;
    }

    /** Word-by-word translation; words without a foreign form (names, punctuation) stay. */
    public String translate(String plain) {
        return mapWords(plain, toForeign);
    }

    /** The inverse of {@link #translate}. */
    public String untranslate(String foreign) {
        return mapWords(foreign, toPlain);
    }

    private static String mapWords(String text, Map<String, String> map) {
        String[] words = text.split(" ");
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(map.getOrDefault(words[i], words[i]));
        }
        return out.toString();
    }
}
