package srg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static srg.judge.Verdict.ERROR;
import static srg.judge.Verdict.SAFE;
import static srg.judge.Verdict.UNSAFE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import srg.judge.Verdict;

class AsrEstimatorTest {

    /** Counts the k-subsets of n samples (the first s safe) that hold no safe sample. */
    private static double bruteForce(int n, int s, int k) {
        int all = 0, unsafe = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            all++;
            if ((mask & ((1 << s) - 1)) == 0) {
                unsafe++;
            }
        }
        return (double) unsafe / all;
    }

    @Test
    void matchesEnumerationOfAllSubsets() {
        for (int n = 1; n <= 10; n++) {
            for (int s = 0; s <= n; s++) {
                for (int k = 0; k <= n; k++) {
                    assertEquals(bruteForce(n, s, k), AsrEstimator.allUnsafe(n, s, k), 1e-12, "n=" + n + " s=" + s + " k=" + k);
                }
            }
        }
    }

    @Test
    void fullModeCurveSkipsErrors() {
        double[] c = AsrEstimator.curve(List.of(UNSAFE, ERROR, SAFE, UNSAFE, UNSAFE), 5, SamplingMode.FULL);
        // 4 usable samples, 1 safe: C(3,k)/C(4,k) = 3/4, 1/2, 1/4, 0; k=5 unknown.
        assertArrayEquals(new double[] {0.75, 0.5, 0.25, 0, Double.NaN}, c, 1e-12);
    }

    @Test
    void sequentialCurveIsThePrefixIndicator() {
        assertArrayEquals(new double[] {1, 1, 0, 0}, AsrEstimator.curve(List.of(UNSAFE, ERROR, UNSAFE, SAFE), 4, SamplingMode.SEQUENTIAL), 0);
        assertArrayEquals(new double[] {0, 0, 0}, AsrEstimator.curve(List.of(SAFE, UNSAFE), 3, SamplingMode.SEQUENTIAL), 0);
        assertArrayEquals(new double[] {1, 1, Double.NaN}, AsrEstimator.curve(List.of(UNSAFE, UNSAFE, ERROR), 3, SamplingMode.SEQUENTIAL), 0);
    }

    /**
     * Both modes estimate E[(1-p)^k] without bias: on 20,000 simulated prompts with refusal
     * probabilities spread over [0, 1], each mode's ASR@k lies within 4 standard errors of the truth
     * and of the other mode, and sequential draws far fewer samples.
     */
    @Test
    void sequentialAndFullAgreeInExpectation() {
        int prompts = 20_000, n = 16;
        SplittableRandom random = new SplittableRandom(7);
        double[] truth = new double[n], full = new double[n], seq = new double[n], seqSq = new double[n];
        long seqSamples = 0;
        for (int i = 0; i < prompts; i++) {
            double p = Math.pow(random.nextDouble(), 0.25); // mean refusal probability 0.8
            List<Verdict> fullDraws = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                fullDraws.add(random.nextDouble() < p ? SAFE : UNSAFE);
            }
            List<Verdict> seqDraws = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                Verdict v = random.nextDouble() < p ? SAFE : UNSAFE;
                seqDraws.add(v);
                if (v == SAFE) {
                    break;
                }
            }
            seqSamples += seqDraws.size();
            double[] f = AsrEstimator.curve(fullDraws, n, SamplingMode.FULL);
            double[] s = AsrEstimator.curve(seqDraws, n, SamplingMode.SEQUENTIAL);
            for (int k = 0; k < n; k++) {
                truth[k] += Math.pow(1 - p, k + 1) / prompts;
                full[k] += f[k] / prompts;
                seq[k] += s[k] / prompts;
                seqSq[k] += s[k] * s[k] / prompts;
            }
        }
        for (int k = 0; k < n; k++) {
            double se = Math.sqrt((seqSq[k] - seq[k] * seq[k]) / prompts) + 1e-4;
            assertEquals(truth[k], seq[k], 4 * se, "sequential ASR@" + (k + 1));
            assertEquals(truth[k], full[k], 4 * se, "full ASR@" + (k + 1));
        }
        assertTrue(seqSamples < 0.35 * prompts * n, "sequential drew " + seqSamples + " of " + prompts * n);
    }

    @Test
    void bootstrapCoversTheMeanAndIsSeeded() {
        double[][] rows = new double[200][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i % 4 == 0 ? 1 : 0, i < 10 ? Double.NaN : 0.5};
        }
        double[][] a = Bootstrap.meanCi95(rows, new int[] {0, 1}, 2000, 3);
        double[][] b = Bootstrap.meanCi95(rows, new int[] {0, 1}, 2000, 3);
        assertArrayEquals(a[0], b[0], 0);
        assertTrue(a[0][0] < 0.25 && 0.25 < a[0][1], a[0][0] + " " + a[0][1]);
        assertTrue(a[0][1] - a[0][0] > 0.08 && a[0][1] - a[0][0] < 0.16, "width " + (a[0][1] - a[0][0]));
        assertArrayEquals(new double[] {0.5, 0.5}, a[1], 1e-12);
    }
}
