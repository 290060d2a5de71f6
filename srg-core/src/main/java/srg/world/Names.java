package srg.world;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Invented words: substance names, ingredient names and the words of SafetyWorld's second
 * language. Every name is new to the tokenizer, so nothing about a substance can be guessed from
 * its spelling: what the model knows of it, it learned from the corpus.
 */
final class Names {

    private static final List<String> ONSETS = List.of("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t",
            "v", "z", "br", "dr", "kr", "st", "tr", "gl", "pl", "sk", "th", "ch");
    private static final List<String> VOWELS = List.of("a", "e", "i", "o", "u", "ai", "ei", "ou");
    private static final List<String> SUBSTANCE_ENDINGS = List.of("ite", "on", "ax", "ene", "ium", "ol", "ar", "ine");
    private static final List<String> INGREDIENT_HEADS = List.of("ash", "cold", "red", "moon", "river", "stone",
            "salt", "sun", "iron", "glass", "frost", "dusk", "amber", "cinder", "marsh", "thorn");
    private static final List<String> INGREDIENT_TAILS = List.of("fern", "root", "moss", "bark", "dust", "sand",
            "leaf", "seed", "clay", "shell", "bloom", "resin");
    // The second language uses sounds English words of the corpus do not: q, x, zh, y endings.
    private static final List<String> FOREIGN_ONSETS = List.of("q", "x", "zh", "h", "y", "kh", "ts", "w", "j", "ny");
    private static final List<String> FOREIGN_VOWELS = List.of("a", "o", "u", "e", "aa", "uu", "oi");

    private final SplittableRandom rng;
    private final Set<String> taken;

    Names(long seed, Set<String> reserved) {
        this.rng = new SplittableRandom(seed);
        this.taken = new LinkedHashSet<>(reserved);
    }

    String substance() {
        for (int attempt = 0; ; attempt++) {
            String name = syllable() + syllable() + pick(SUBSTANCE_ENDINGS);
            if (taken.add(name)) {
                return name;
            }
        }
    }

    String ingredient() {
        for (int attempt = 0; ; attempt++) {
            String name = pick(INGREDIENT_HEADS) + pick(INGREDIENT_TAILS);
            if (taken.add(name)) {
                return name;
            }
            if (attempt > 10_000) {
                throw new IllegalStateException("ran out of ingredient names");
            }
        }
    }

    /** A word of the second language, distinct from every word seen so far. */
    String foreign() {
        while (true) {
            int syllables = 1 + rng.nextInt(2);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < syllables; i++) {
                w.append(pick(FOREIGN_ONSETS)).append(pick(FOREIGN_VOWELS));
            }
            if (taken.add(w.toString())) {
                return w.toString();
            }
        }
    }

    /** Marks a word as used, so no invented word takes it. */
    void reserve(String word) {
        taken.add(word);
    }

    <T> T pick(List<T> options) {
        return options.get(rng.nextInt(options.size()));
    }

    SplittableRandom rng() {
        return rng;
    }

    private String syllable() {
        return pick(ONSETS) + pick(VOWELS);
    }
}
