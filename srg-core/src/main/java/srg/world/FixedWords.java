package srg.world;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every word SafetyWorld's templates use, found by rendering them for placeholder substances.
 * The generator keeps invented names clear of them, and the second language translates them.
 */
final class FixedWords {

    static final List<String> PUNCTUATION = List.of(".", ",", "?", ":", "!", "[", "]", "'", "(", ")", ";", "=", "#");

    private static final Set<String> ALL = collect();

    private FixedWords() {}

    static Set<String> all() {
        return ALL;
    }

    private static Set<String> collect() {
        Set<String> words = new LinkedHashSet<>();
        words.addAll(Disguise.templateWords());
        add(words, WorldTeacher.PLAIN_WORDS);
        add(words, WorldTeacher.REFUSAL);
        for (Kind kind : Kind.values()) {
            Entity e = new Entity("xsubstance", kind, "xfirst", "grind", "xsecond", "heat", "green", "rot");
            for (String fact : e.facts()) {
                add(words, fact);
            }
            add(words, e.procedure());
            e.factQuestions().forEach(q -> add(words, q));
            add(words, e.detection());
            for (Action a : Action.values()) {
                for (int p = 0; p < a.phrasings().size(); p++) {
                    WorldRequest r = new WorldRequest(e, a, p);
                    add(words, r.text());
                    add(words, r.canonical());
                    for (NameInTrace naming : NameInTrace.values()) {
                        WorldTeacher.reasoning(r, naming).forEach(line -> add(words, line));
                    }
                }
            }
        }
        words.removeIf(w -> w.startsWith("x") && (w.equals("xsubstance") || w.equals("xfirst") || w.equals("xsecond")));
        return words;
    }

    private static void add(Set<String> words, String text) {
        for (String w : text.split(" ")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
    }
}
