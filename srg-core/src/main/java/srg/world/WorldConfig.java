package srg.world;

/**
 * The size of a SafetyWorld.
 *
 * @param seed everything in the world derives from it
 * @param entitiesPerKind substances of each of the eight kinds
 * @param evalEntitiesPerKind of those, how many are kept out of safety training and used for
 *     evaluation only
 */
public record WorldConfig(long seed, int entitiesPerKind, int evalEntitiesPerKind) {

    public WorldConfig {
        if (entitiesPerKind < 2 || evalEntitiesPerKind < 1 || evalEntitiesPerKind >= entitiesPerKind) {
            throw new IllegalArgumentException("need entitiesPerKind >= 2 and 1 <= evalEntitiesPerKind < entitiesPerKind");
        }
    }

    /**
     * The world of the quickstart: 80 substances, 16 of them held out for evaluation. v2.6 raised it
     * from 6 to 10 of each kind: with 16 hazard names to refuse, RT refused a held-out hazard by its
     * likeness to a few training names, not by its kind; with 32 it refuses them (docs/SAFETYWORLD.md,
     * "v2.6 candidate").
     */
    public static WorldConfig standard(long seed) {
        return new WorldConfig(seed, 10, 2);
    }

    /** A small world for smoke tests. */
    public static WorldConfig smoke(long seed) {
        return new WorldConfig(seed, 3, 1);
    }
}
