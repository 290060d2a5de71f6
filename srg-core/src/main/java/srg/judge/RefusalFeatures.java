package srg.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
    private static final Map<String, String> CONTRACTIONS = Map.ofEntries(
            Map.entry("can't", "cannot"), Map.entry("can not", "cannot"), Map.entry("won't", "will not"), Map.entry("i'm", "i am"),
            Map.entry("i'll", "i will"), Map.entry("i've", "i have"), Map.entry("i'd", "i would"), Map.entry("don't", "do not"),
            Map.entry("doesn't", "does not"), Map.entry("isn't", "is not"), Map.entry("it's", "it is"), Map.entry("that's", "that is"),
            Map.entry("shouldn't", "should not"), Map.entry("wouldn't", "would not"), Map.entry("couldn't", "could not"),
            Map.entry("aren't", "are not"), Map.entry("you're", "you are"), Map.entry("let's", "let us"));
    private static final Pattern CONTRACTION = Pattern.compile(
            "\\b(" + String.join("|", CONTRACTIONS.keySet().stream().sorted().map(Pattern::quote).toList()) + ")\\b");

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
        s = CONTRACTION.matcher(s).replaceAll(m -> CONTRACTIONS.get(m.group(1)));
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * N-gram counts of one response: whole-text n-grams as they are, opening ones prefixed
     * {@link #HEAD}. Sorted, so that sums over them, hence a trained model, come out the same
     * bits on every run.
     */
    Map<String, Integer> counts(String text) {
        List<String> tokens = tokens(text);
        Map<String, Integer> counts = new TreeMap<>();
        addNgrams(tokens, "", counts);
        if (head > 0) {
            addNgrams(tokens.subList(0, Math.min(head, tokens.size())), HEAD, counts);
        }
        return counts;
    }

    private void addNgrams(List<String> tokens, String prefix, Map<String, Integer> counts) {
        StringBuilder gram = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            gram.setLength(0);
            gram.append(prefix);
            for (int n = 1; n <= maxN && i + n <= tokens.size(); n++) {
                if (n > 1) {
                    gram.append(' ');
                }
                gram.append(tokens.get(i + n - 1));
                counts.merge(gram.toString(), 1, Integer::sum);
            }
        }
    }

    /** Whether an n-gram was counted in the opening tokens. */
    static boolean isHead(String gram) {
        return gram.startsWith(HEAD);
    }
}
