package srg.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    @Test
    void keepsClassSharesAndCoversEveryRowOnce() {
        boolean[] y = Samples.stackLabels(30, 10);
        StratifiedSplit s = StratifiedSplit.of(y, 0.2, 7);
        assertEquals(8, s.test().length); // 6 of 30 + 2 of 10
        assertEquals(2, Arrays.stream(s.test()).filter(i -> y[i]).count());
        int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 40).toArray(), all);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        boolean[] y = Samples.stackLabels(50, 50);
        assertArrayEquals(StratifiedSplit.of(y, 0.5, 1).test(), StratifiedSplit.of(y, 0.5, 1).test());
        assertFalse(Arrays.equals(StratifiedSplit.of(y, 0.5, 1).test(), StratifiedSplit.of(y, 0.5, 2).test()));
    }

    @Test
    void tinyClassesStillReachBothParts() {
        StratifiedSplit s = StratifiedSplit.of(Samples.stackLabels(2, 2), 0.2, 0);
        assertEquals(2, s.test().length);
        assertEquals(2, s.train().length);
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.of(Samples.stackLabels(1, 5), 0.5, 0));
    }
}
