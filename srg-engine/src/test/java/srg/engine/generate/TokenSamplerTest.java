package srg.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import srg.chat.SamplingParams;

class TokenSamplerTest {

    private static final float[] PROBS = {0.05f, 0.4f, 0.3f, 0.15f, 0.1f};

    private static int[] histogram(SamplingParams p, int draws) {
        TokenSampler sampler = new TokenSampler(p);
        SplittableRandom rng = new SplittableRandom(42);
        int[] h = new int[PROBS.length];
        for (int i = 0; i < draws; i++) {
            h[sampler.pick(PROBS, 0, PROBS.length, rng)]++;
        }
        return h;
    }

    @Test
    void plainSamplingFollowsTheDistribution() {
        int[] h = histogram(new SamplingParams(1, 1, 0, 1, List.of(), 0), 100_000);
        for (int i = 0; i < PROBS.length; i++) {
            assertEquals(PROBS[i], h[i] / 100_000.0, 0.01, "token " + i);
        }
    }

    @Test
    void topKKeepsTheKMostLikely() {
        int[] h = histogram(new SamplingParams(1, 1, 2, 1, List.of(), 0), 50_000);
        assertEquals(0, h[0] + h[3] + h[4]);
        assertEquals(0.4 / 0.7, h[1] / 50_000.0, 0.01);
    }

    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        // 0.4 + 0.3 = 0.7 >= 0.6: tokens 1 and 2 only.
        int[] h = histogram(new SamplingParams(1, 0.6, 0, 1, List.of(), 0), 50_000);
        assertEquals(0, h[0] + h[3] + h[4]);
        assertTrue(h[1] > 0 && h[2] > 0);
        // A tiny top-p keeps only the argmax.
        int[] argmax = histogram(new SamplingParams(1, 0.01, 0, 1, List.of(), 0), 1000);
        assertEquals(1000, argmax[1]);
    }

    @Test
    void topKThenTopPOnTheRenormalisedSet() {
        // top-k 3 leaves {0.4, 0.3, 0.15}/0.85; top-p 0.5 then needs 0.47 + 0.35 >= 0.5: tokens 1, 2.
        int[] h = histogram(new SamplingParams(1, 0.5, 3, 1, List.of(), 0), 20_000);
        assertEquals(0, h[0] + h[3] + h[4]);
    }
}
