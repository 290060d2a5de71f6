package srg.judge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words a {@link RefusalClassifier} sees: lower-cased word tokens with typographic quotes
 * straightened and contractions spelled out ("can't" and "cannot" are one token, "I'm" is "i am"),
 * and their n-grams, counted over the whole response and, separately, over its first
 * {@code head} tokens, where most refusals are stated.
 */
final class RefusalFeatures {

    /** Prefix of the n-grams counted in the opening tokens. */
    static final String HEAD = "h:";

    private static final Pattern TOKEN = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

    // Spelled out so that one refusal phrasing teaches the classifier the other ("I can't" / "I cannot").
    private static final String[][] CONTRACTIONS = {
        {"can't", "cannot"}, {"can not", "cannot"}, {"won't", "will not"}, {"i'm", "i am"}, {"i'll", "i will"},
        {"i've", "i have"}, {"i'd", "i would"}, {"don't", "do not"}, {"doesn't", "does not"}, {"isn't", "is not"},
        {"it's", "it is"}, {"that's", "that is"}, {"shouldn't", "should not"}, {"wouldn't", "would not"},
        {"couldn't", "could not"}, {"aren't", "are not"}, {"you're", "you are"}, {"let's", "let us"},
    };
    private static final Pattern[] CONTRACTION_PATTERNS = new Pattern[CONTRACTIONS.length];

    static {
        for (int i = 0; i < CONTRACTIONS.length; i++) {
            CONTRACTION_PATTERNS[i] = Pattern.compile("\\b" + Pattern.quote(CONTRACTIONS[i][0]) + "\\b");
        }
    }

    private final int maxN;
    private final int head;

    RefusalFeatures(int maxN, int head) {
        if (maxN < 1 || head < 0) {
            throw new IllegalArgumentException("n-gram order must be >= 1 and head >= 0, got " + maxN + ", " + head);
        }
        this.maxN = maxN;
        this.head = head;
    }

    int maxN() {
        return maxN;
    }

    int head() {
        return head;
    }

    static List<String> tokens(String text) {
        String s = text.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201C', '"').replace('\u201D', '"')
                .toLowerCase(Locale.ROOT);
        for (int i = 0; i < CONTRACTIONS.length; i++) {
            s = CONTRACTION_PATTERNS[i].matcher(s).replaceAll(CONTRACTIONS[i][1]);
        }
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** N-gram counts of one response: whole-text n-grams as they are, opening ones prefixed {@link #HEAD}. */
    Map<String, Integer> counts(String text) {
        List<String> tokens = tokens(text);
        Map<String, Integer> counts = new HashMap<>();
        addNgrams(tokens, "", counts);
        if (head > 0) {
            addNgrams(tokens.subList(0, Math.min(head, tokens.size())), HEAD, counts);
        }
        return counts;
    }

    private void addNgrams(List<String> tokens, String prefix, Map<String, Integer> counts) {
        for (int n = 1; n <= maxN; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                String gram = prefix + String.join(" ", tokens.subList(i, i + n));
                counts.merge(gram, 1, Integer::sum);
            }
        }
    }

    /** Whether an n-gram was counted in the opening tokens. */
    static boolean isHead(String gram) {
        return gram.startsWith(HEAD);
    }
}
