package srg.study.safetyworld;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import srg.attack.Attack;
import srg.judge.Judge;
import srg.run.Extensions;
import srg.world.Disguise;
import srg.world.DisguiseAttack;
import srg.world.World;
import srg.world.WorldOracleJudge;

/**
 * What a SafetyWorld study adds to srg's catalogues: each disguise as an attack
 * ({@code sw-cipher}, ...) and the world's oracle judge ({@code safetyworld}).
 */
final class SafetyWorldExtensions implements Extensions {

    /** The judge spec of the world's oracle. */
    static final String JUDGE = "safetyworld";

    private final World world;

    SafetyWorldExtensions(World world) {
        this.world = world;
    }

    @Override
    public Attack attack(String name, long seed) {
        for (Disguise d : Disguise.values()) {
            if (DisguiseAttack.nameOf(d).equals(name)) {
                return new DisguiseAttack(world, d, seed);
            }
        }
        return null;
    }

    @Override
    public Judge judge(String spec) {
        return spec.equals(JUDGE) ? new WorldOracleJudge(world) : null;
    }

    /** Which disguises the safety data taught (seen) and which it did not, and the world's seed. */
    @Override
    public void describe(ObjectNode study) {
        study.put("world_seed", world.config().seed());
        ArrayNode seen = study.putArray("disguises_seen");
        Disguise.seen(true).forEach(d -> seen.add(DisguiseAttack.nameOf(d)));
        ArrayNode unseen = study.putArray("disguises_unseen");
        Disguise.seen(false).forEach(d -> unseen.add(DisguiseAttack.nameOf(d)));
    }
}
