package srg.engine.generate;

import srg.chat.Conversation;

/**
 * The seed of each sample: a function of the base seed, the conversation and the sample index
 * only. Batching, ordering and resuming therefore never change what a sample says.
 */
final class StreamSeeds {

    private StreamSeeds() {}

    static long of(long baseSeed, long promptKey, int sampleIndex) {
        return mix(mix(baseSeed ^ 0x5DEECE66DL) ^ promptKey ^ mix(sampleIndex + 0x9E3779B97F4A7C15L));
    }

    /** The prompt part of a seed: the conversation's content hash. */
    static long key(Conversation conversation) {
        return Long.parseUnsignedLong(conversation.sha256().substring(0, 16), 16);
    }

    /** The prompt part of a seed for raw text. */
    static long key(String rawText) {
        return key(Conversation.user(rawText)) ^ 0x7261770000000000L; // "raw": never a conversation's key
    }

    /** SplitMix64's finaliser: a cheap bijective scramble. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
