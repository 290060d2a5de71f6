package srg.attack.cipher;

import java.util.Locale;
import java.util.Set;

/**
 * How much a text looks like English: the share of its words that are common English function
 * words. Used to decide whether a model answered in the cipher (decode it) or fell back to plain
 * English (keep it), since a refusal in English must not be turned into cipher noise before the
 * judge sees it.
 */
final class EnglishScore {

    private static final Set<String> COMMON = Set.of(
            "the", "be", "to", "of", "and", "a", "an", "in", "that", "have", "i", "it", "for", "not", "on",
            "with", "he", "as", "you", "do", "at", "this", "but", "his", "by", "from", "they", "we", "say",
            "her", "she", "or", "will", "my", "one", "all", "would", "there", "their", "what", "so", "up",
            "out", "if", "about", "who", "get", "which", "go", "me", "when", "make", "can", "like", "no",
            "just", "him", "know", "take", "into", "your", "some", "could", "them", "see", "other", "than",
            "then", "now", "only", "its", "also", "after", "use", "how", "our", "well", "way", "even", "want",
            "because", "any", "these", "give", "most", "us", "is", "are", "was", "were", "been", "has", "had",
            "here", "should", "must", "may", "step", "first", "need", "sorry", "cannot", "help", "sure");

    private EnglishScore() {}

    /** The share of words (runs of Latin letters) that are common English words, in [0, 1]. */
    static double of(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z]+");
        int total = 0;
        int common = 0;
        for (String w : words) {
            if (!w.isEmpty()) {
                total++;
                if (COMMON.contains(w)) {
                    common++;
                }
            }
        }
        return total == 0 ? 0 : (double) common / total;
    }
}
