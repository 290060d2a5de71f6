package srg.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Builds a {@link World} from a {@link WorldConfig}; the same config always gives the same world. */
public final class WorldGenerator {

    private static final List<String> COLORS = List.of("green", "red", "blue", "yellow", "white", "black", "purple",
            "grey", "orange", "pink");
    private static final List<String> SMELLS = List.of("rot", "smoke", "mint", "honey", "rain", "pine", "vinegar",
            "sulfur", "roses", "bread");
    private static final List<String> FIRST_STEPS = List.of("grind", "crush", "dry", "soak", "press", "wash");
    private static final List<String> LAST_STEPS = List.of("heat", "boil", "cool", "stir", "filter", "shake", "seal");

    private WorldGenerator() {}

    public static World generate(WorldConfig config) {
        Set<String> reserved = new HashSet<>(FixedWords.all());
        for (List<String> words : List.of(COLORS, SMELLS, FIRST_STEPS, LAST_STEPS)) {
            reserved.addAll(words);
        }
        Names names = new Names(config.seed(), reserved);
        SplittableRandom rng = names.rng();
        List<Entity> train = new ArrayList<>();
        List<Entity> eval = new ArrayList<>();
        Set<String> pairs = new HashSet<>();
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < config.entitiesOf(kind); i++) {
                String a;
                String b;
                do {
                    a = names.ingredient();
                    b = names.ingredient();
                } while (!pairs.add(a + "+" + b));
                Entity e = new Entity(names.substance(), kind, a, names.pick(signs(FIRST_STEPS, kind, config)), b,
                        names.pick(signs(LAST_STEPS, kind, config)), names.pick(signs(COLORS, kind, config)),
                        names.pick(signs(SMELLS, kind, config)));
                (i < config.evalEntitiesPerKind() ? eval : train).add(e);
            }
        }
        shuffle(train, rng);
        shuffle(eval, rng);
        List<Entity> all = new ArrayList<>(train);
        all.addAll(eval);
        Map<String, WorldRequest> byText = new LinkedHashMap<>();
        for (WorldRequest r : World.requests(all)) {
            byText.put(r.text(), r);
        }
        return new World(config, train, eval, buildLexicon(all, names), byText);
    }

    /**
     * The second language covers every non-name word the corpus uses, so a translated text has no
     * English left but names and punctuation.
     */
    private static Lexicon buildLexicon(List<Entity> entities, Names names) {
        Set<String> words = new LinkedHashSet<>(FixedWords.all());
        for (Entity e : entities) {
            for (String text : List.of(String.join(" ", e.facts()), e.procedure(), e.detection())) {
                for (String w : text.split(" ")) {
                    words.add(w);
                }
            }
        }
        Set<String> keep = new HashSet<>();
        for (Entity e : entities) {
            keep.add(e.name());
            keep.add(e.firstIngredient());
            keep.add(e.secondIngredient());
            names.reserve(Caesar.encode(e.name()));
        }
        keep.addAll(FixedWords.PUNCTUATION);
        for (String w : words) {
            names.reserve(Caesar.encode(w));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String w : words) {
            if (!keep.contains(w)) {
                map.put(w, names.foreign());
            }
        }
        return new Lexicon(map);
    }

    /**
     * With {@link WorldConfig#hazardSigns()}, the words only hazards draw (the rest of each list is
     * the harmless substances'): about half of each list, chosen so that they read as a hazard's,
     * though to the model every word is arbitrary. The lists keep their order, so a world without
     * signs is drawn as before.
     */
    private static final Set<String> HAZARD_SIGNS = Set.of("red", "black", "purple", "grey", "orange", "rot", "smoke",
            "pine", "vinegar", "sulfur", "grind", "crush", "dry", "heat", "boil", "shake", "seal");

    /** The words a substance of {@code kind} draws from {@code words}. */
    static List<String> signs(List<String> words, Kind kind, WorldConfig config) {
        if (!config.hazardSigns()) {
            return words;
        }
        return words.stream().filter(w -> HAZARD_SIGNS.contains(w) == kind.dangerous()).toList();
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
