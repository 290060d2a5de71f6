package srg.attack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import srg.io.ContentHash;

/**
 * Random streams for attacks. Each stream is derived from the run's seed and a few names (the
 * attack, the behavior, the text being attacked), so a choice for one behavior never depends on
 * which other behaviors are in the batch or in what order they come.
 */
public final class AttackSeeds {

    private AttackSeeds() {}

    /** A random stream for this seed and these names; the same inputs give the same stream. */
    public static SplittableRandom random(long seed, String... names) {
        return new SplittableRandom(derive(seed, names));
    }

    /** A 64-bit seed derived from a base seed and names (SHA-256, so it is stable across JVMs). */
    public static long derive(long seed, String... names) {
        MessageDigest digest = ContentHash.newDigest();
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        for (String name : names) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            digest.update(bytes);
        }
        return ByteBuffer.wrap(digest.digest()).getLong();
    }
}
