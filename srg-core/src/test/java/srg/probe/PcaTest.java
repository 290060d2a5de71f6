package srg.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

class PcaTest {

    /** Points on the line y = 2x: one component along (1, 2)/sqrt(5) carries all the variance. */
    @Test
    void pointsOnALineHaveOneComponent() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-2, -4}, {-1, -2}, {0, 0}, {1, 2}, {2, 4}});
        Pca pca = Pca.fit(x, 2);
        assertArrayEquals(new double[] {1 / Math.sqrt(5), 2 / Math.sqrt(5)}, pca.component(0), 1e-12);
        assertEquals(1.0, pca.explainedVarianceRatio()[0], 1e-12);
        assertEquals(0.0, pca.explainedVarianceRatio()[1], 1e-12);
        // Variance along the line: sum of squared distances (4+1+0+1+4)*5 / (n - 1).
        assertEquals(50.0 / 4, pca.explainedVariance()[0], 1e-12);
        DMatrixRMaj coords = pca.project(new DMatrixRMaj(new double[][] {{1, 2}}));
        assertEquals(Math.sqrt(5), coords.get(0, 0), 1e-12);
    }

    /**
     * Data built as mean + U S V^T with centred orthonormal U, orthonormal V and known S: the
     * components must be V's columns (up to sign), the variances S^2/(n-1), the scores U S.
     */
    @Test
    void recoversAKnownDecomposition() {
        checkKnownDecomposition(40, 6);
    }

    /** Wider than long, as hidden states are: the row-space route must give the same answer. */
    @Test
    void recoversAKnownDecompositionOfWideData() {
        checkKnownDecomposition(8, 30);
    }

    private static void checkKnownDecomposition(int n, int d) {
        double[] s = {9, 5, 3, 2, 1, 0.5};
        int r = s.length;
        DMatrixRMaj u = orthonormalColumns(n, r, true, 1);
        DMatrixRMaj v = orthonormalColumns(d, r, false, 2);
        SplittableRandom random = new SplittableRandom(3);
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = 10 * (random.nextDouble() - 0.5);
        }
        DMatrixRMaj us = u.copy();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                us.set(i, k, u.get(i, k) * s[k]);
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        CommonOps_DDRM.multTransB(us, v, x);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.add(i, j, mean[j]);
            }
        }

        Pca pca = Pca.fit(x, 4);
        assertEquals(4, pca.size());
        DMatrixRMaj scores = pca.project(x);
        double total = 0;
        for (double sk : s) {
            total += sk * sk;
        }
        for (int k = 0; k < 4; k++) {
            double[] c = pca.component(k);
            double sign = Math.signum(dot(c, column(v, k)));
            assertEquals(1.0, Math.abs(dot(c, column(v, k))), 1e-10, "component " + k + " is V's column " + k);
            assertEquals(s[k] * s[k] / (n - 1), pca.explainedVariance()[k], 1e-9);
            assertEquals(s[k] * s[k] / total, pca.explainedVarianceRatio()[k], 1e-12);
            for (int i = 0; i < n; i++) {
                assertEquals(sign * us.get(i, k), scores.get(i, k), 1e-9);
            }
            // Sign convention: the largest-magnitude entry is positive.
            double max = 0;
            for (double ci : c) {
                max = Math.abs(ci) > Math.abs(max) ? ci : max;
            }
            assertEquals(1.0, Math.signum(max));
        }
    }

    @Test
    void widerThanLongDataKeepsAtMostNComponents() {
        DMatrixRMaj x = Gaussians.sample(5, new double[30], 1, 3);
        Pca pca = Pca.fit(x, 10);
        assertEquals(5, pca.size());
        // Centring 5 points leaves rank 4: the last component carries no variance.
        assertEquals(0.0, pca.explainedVarianceRatio()[4], 1e-12);
    }

    private static DMatrixRMaj orthonormalColumns(int rows, int cols, boolean centred, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = random.nextDouble() - 0.5;
        }
        if (centred) {
            // Columns orthogonal to the all-ones vector stay so through QR: the data is centred.
            double[] means = Samples.mean(a);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    a.add(i, j, -means[j]);
                }
            }
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        qr.decompose(a);
        return qr.getQ(null, true);
    }

    private static double[] column(DMatrixRMaj m, int c) {
        double[] out = new double[m.numRows];
        for (int i = 0; i < m.numRows; i++) {
            out[i] = m.get(i, c);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        return Samples.dot(a, b);
    }
}
