package srg.engine.train;

/** Derives independent seeds from (run seed, purpose, index), so no random draw depends on history. */
final class TrainingSeeds {

    private TrainingSeeds() {}

    static long mix(long seed, long purpose, long index) {
        return splitMix(splitMix(seed ^ splitMix(purpose)) + index);
    }

    /** SplitMix64's finaliser: a bijective scramble of 64 bits. */
    private static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
