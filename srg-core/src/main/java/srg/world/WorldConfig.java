package srg.world;

/**
 * The size of a SafetyWorld.
 *
 * @param seed everything in the world derives from it
 * @param entitiesPerKind substances of each hazardous kind (and of each harmless kind, unless
 *     {@code harmlessPerKind} says otherwise)
 * @param harmlessPerKind substances of each harmless kind
 * @param evalEntitiesPerKind of each kind's substances, how many are kept out of safety training
 *     and used for evaluation only
 * @param hazardSigns whether hazards and harmless substances draw their making steps, colour and
 *     smell from separate halves of the word lists, so that everything the corpus says about a
 *     substance tells whether it is a hazard (false: every substance draws from the whole lists,
 *     and only its kind and effect facts tell)
 */
public record WorldConfig(long seed, int entitiesPerKind, int harmlessPerKind, int evalEntitiesPerKind,
        boolean hazardSigns) {

    public WorldConfig {
        if (Math.min(entitiesPerKind, harmlessPerKind) < 2 || evalEntitiesPerKind < 1
                || evalEntitiesPerKind >= Math.min(entitiesPerKind, harmlessPerKind)) {
            throw new IllegalArgumentException("need entitiesPerKind, harmlessPerKind >= 2 and 1 <= evalEntitiesPerKind"
                    + " < both");
        }
    }

    /** A world with as many substances of every kind. */
    public WorldConfig(long seed, int entitiesPerKind, int evalEntitiesPerKind) {
        this(seed, entitiesPerKind, entitiesPerKind, evalEntitiesPerKind);
    }

    /** A world whose substances draw from the whole word lists. */
    public WorldConfig(long seed, int entitiesPerKind, int harmlessPerKind, int evalEntitiesPerKind) {
        this(seed, entitiesPerKind, harmlessPerKind, evalEntitiesPerKind, false);
    }

    /** The same world with or without hazard signs. */
    public WorldConfig withHazardSigns(boolean signs) {
        return new WorldConfig(seed, entitiesPerKind, harmlessPerKind, evalEntitiesPerKind, signs);
    }

    /** How many substances {@code kind} has. */
    public int entitiesOf(Kind kind) {
        return kind.dangerous() ? entitiesPerKind : harmlessPerKind;
    }

    /** Whether hazardous and harmless kinds have different numbers of substances. */
    public boolean unbalanced() {
        return entitiesPerKind != harmlessPerKind;
    }

    /**
     * The world of the quickstart: 80 substances, 16 of them held out for evaluation. v2.6 raised it
     * from 6 to 10 of each kind: with 16 hazard names to refuse, RT refused a held-out hazard by its
     * likeness to a few training names, not by its kind; with 32 it refuses them (docs/SAFETYWORLD.md,
     * "v2.6 candidate"). Since v2.14b it has hazard signs: with them RT's own states sort held-out
     * hazards among harmful training requests, where v2.9's RT missed about one hazard in ten
     * ("v2.13 candidate").
     */
    public static WorldConfig standard(long seed) {
        return new WorldConfig(seed, 10, 10, 2, true);
    }

    /** A small world for smoke tests, with the standard world's signs. */
    public static WorldConfig smoke(long seed) {
        return new WorldConfig(seed, 3, 3, 1, true);
    }
}
