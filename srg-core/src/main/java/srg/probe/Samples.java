package srg.probe;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Operations on sample matrices, one sample per row, that EJML does not offer directly. */
final class Samples {

    private Samples() {}

    /** The mean row. */
    static double[] mean(DMatrixRMaj x) {
        if (x.numRows == 0) {
            throw new IllegalArgumentException("mean of no samples");
        }
        DMatrixRMaj sums = CommonOps_DDRM.sumCols(x, null);
        double[] out = new double[x.numCols];
        for (int j = 0; j < out.length; j++) {
            out[j] = sums.data[j] / x.numRows;
        }
        return out;
    }

    /** Total variance: the trace of the unbiased sample covariance (sum of per-feature variances). */
    static double totalVariance(DMatrixRMaj x) {
        if (x.numRows < 2) {
            return 0;
        }
        double[] mu = mean(x);
        double ss = 0;
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                double d = x.data[i * x.numCols + j] - mu[j];
                ss += d * d;
            }
        }
        return ss / (x.numRows - 1);
    }

    /** The rows {@code rows} of {@code x}, in that order. */
    static DMatrixRMaj rows(DMatrixRMaj x, int[] rows) {
        DMatrixRMaj out = new DMatrixRMaj(rows.length, x.numCols);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data, rows[i] * x.numCols, out.data, i * x.numCols, x.numCols);
        }
        return out;
    }

    /** {@code a} on top of {@code b}. */
    static DMatrixRMaj stack(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows + b.numRows, a.numCols);
        CommonOps_DDRM.concatRows(a, b, out);
        return out;
    }

    /** Labels for {@code stack(a, b)}: false for a's rows, true for b's. */
    static boolean[] stackLabels(int aRows, int bRows) {
        boolean[] y = new boolean[aRows + bRows];
        Arrays.fill(y, aRows, y.length, true);
        return y;
    }

    static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
