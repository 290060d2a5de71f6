package srg.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LogisticProbeTest {

    @Test
    void separatesSeparableClassesAndGeneralises() {
        int d = 5;
        DMatrixRMaj neg = Gaussians.sample(100, Gaussians.vector(d, 0, -3), 1, 1);
        DMatrixRMaj pos = Gaussians.sample(100, Gaussians.vector(d, 0, 3), 1, 2);
        LogisticProbe probe = LogisticProbe.fit(Samples.stack(neg, pos), Samples.stackLabels(100, 100), 1.0);
        assertTrue(probe.converged());
        assertEquals(1.0, probe.accuracy(Samples.stack(neg, pos), Samples.stackLabels(100, 100)));

        DMatrixRMaj freshNeg = Gaussians.sample(500, Gaussians.vector(d, 0, -3), 1, 3);
        DMatrixRMaj freshPos = Gaussians.sample(500, Gaussians.vector(d, 0, 3), 1, 4);
        assertTrue(probe.accuracy(Samples.stack(freshNeg, freshPos), Samples.stackLabels(500, 500)) > 0.995);
        assertEquals(0.0, probe.positiveRate(freshNeg), 0.01);
        assertEquals(1.0, probe.positiveRate(freshPos), 0.01);
    }

    /**
     * Two unit-variance Gaussians at -0.5 and +0.5 overlap: the best accuracy is Phi(0.5) = 0.691,
     * and the true log-odds are exactly x (slope 1, intercept 0), which a lightly regularised fit
     * on many samples must recover.
     */
    @Test
    void recoversTheBayesRuleOnOverlappingClasses() {
        int n = 4000;
        DMatrixRMaj neg = Gaussians.sample(n, new double[] {-0.5}, 1, 5);
        DMatrixRMaj pos = Gaussians.sample(n, new double[] {0.5}, 1, 6);
        LogisticProbe probe = LogisticProbe.fit(Samples.stack(neg, pos), Samples.stackLabels(n, n), 1.0);
        assertEquals(1.0, probe.weights()[0], 0.06);
        assertEquals(0.0, probe.intercept(), 0.06);

        DMatrixRMaj testNeg = Gaussians.sample(n, new double[] {-0.5}, 1, 7);
        DMatrixRMaj testPos = Gaussians.sample(n, new double[] {0.5}, 1, 8);
        double accuracy = probe.accuracy(Samples.stack(testNeg, testPos), Samples.stackLabels(n, n));
        assertEquals(0.6915, accuracy, 0.02);
    }

    /** Stationarity: at the optimum the penalised gradient in standardised space vanishes. */
    @Test
    void solutionSatisfiesTheOptimalityCondition() {
        int d = 8;
        DMatrixRMaj neg = Gaussians.sample(60, Gaussians.vector(d, 2, -0.4), 1.5, 9);
        DMatrixRMaj pos = Gaussians.sample(25, Gaussians.vector(d, 2, 0.4), 0.7, 10);
        DMatrixRMaj x = Samples.stack(neg, pos);
        boolean[] y = Samples.stackLabels(60, 25);
        double l2 = 0.3;
        LogisticProbe probe = LogisticProbe.fit(x, y, l2);
        assertGradientVanishes(x, y, l2, probe);
    }

    /**
     * Wider than long (d > n): the SVD route must give the same probe as Newton on all d
     * features, since the L2 solution lies in the span of the rows.
     */
    @Test
    void reducedSolveEqualsFullSolveWhenFeaturesOutnumberRows() {
        int d = 50;
        DMatrixRMaj neg = Gaussians.sample(12, Gaussians.vector(d, 0, -0.5), 1, 11);
        DMatrixRMaj pos = Gaussians.sample(14, Gaussians.vector(d, 0, 0.5), 1, 12);
        DMatrixRMaj x = Samples.stack(neg, pos);
        boolean[] y = Samples.stackLabels(12, 14);
        LogisticProbe reduced = LogisticProbe.fit(x, y, 1.0, true);
        LogisticProbe full = LogisticProbe.fit(x, y, 1.0, false);
        assertTrue(reduced.converged() && full.converged());
        assertArrayEquals(full.weights(), reduced.weights(), 1e-6);
        assertEquals(full.intercept(), reduced.intercept(), 1e-6);
        assertGradientVanishes(x, y, 1.0, reduced);
        // Fresh points are scored alike, too.
        DMatrixRMaj fresh = Gaussians.sample(20, new double[d], 1, 13);
        assertArrayEquals(full.probabilities(fresh), reduced.probabilities(fresh), 1e-6);
    }

    @Test
    void isDeterministic() {
        DMatrixRMaj x = Samples.stack(Gaussians.sample(30, new double[20], 1, 14), Gaussians.sample(30, new double[20], 1, 15));
        boolean[] y = Samples.stackLabels(30, 30);
        assertArrayEquals(LogisticProbe.fit(x, y, 1.0).weights(), LogisticProbe.fit(x, y, 1.0).weights());
    }

    @Test
    void balancedErrorIgnoresClassSizes() {
        DMatrixRMaj neg = Gaussians.sample(90, new double[] {-3}, 1, 16);
        DMatrixRMaj pos = Gaussians.sample(10, new double[] {3}, 1, 17);
        LogisticProbe probe = LogisticProbe.fit(Samples.stack(neg, pos), Samples.stackLabels(90, 10), 1.0);
        // All right: 0. A constant "negative" prediction would be 90% accurate but 0.5 balanced error.
        assertEquals(0.0, probe.balancedError(Samples.stack(neg, pos), Samples.stackLabels(90, 10)), 0.02);
    }

    @Test
    void needsBothClasses() {
        DMatrixRMaj x = Gaussians.sample(4, new double[2], 1, 18);
        assertThrows(IllegalArgumentException.class, () -> LogisticProbe.fit(x, new boolean[4], 1.0));
    }

    /** Sum_i c_i (p_i - t_i) z_i + l2 w_std = 0 and sum_i c_i (p_i - t_i) = 0, with z standardised. */
    private static void assertGradientVanishes(DMatrixRMaj x, boolean[] y, double l2, LogisticProbe probe) {
        int n = x.numRows;
        int d = x.numCols;
        int positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        double[] mu = Samples.mean(x);
        double[] sigma = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sigma[j] += Math.pow(x.get(i, j) - mu[j], 2) / n;
            }
        }
        double[] p = probe.probabilities(x);
        double[] grad = new double[d];
        double gradIntercept = 0;
        for (int i = 0; i < n; i++) {
            double c = y[i] ? n / (2.0 * positives) : n / (2.0 * (n - positives));
            double r = c * (p[i] - (y[i] ? 1 : 0));
            gradIntercept += r;
            for (int j = 0; j < d; j++) {
                grad[j] += r * (x.get(i, j) - mu[j]) / Math.sqrt(sigma[j]);
            }
        }
        double[] w = probe.weights();
        for (int j = 0; j < d; j++) {
            assertEquals(0.0, grad[j] + l2 * w[j] * Math.sqrt(sigma[j]), 1e-6, "gradient " + j);
        }
        assertEquals(0.0, gradIntercept, 1e-6);
    }
}
