package srg.probe;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Principal component analysis by EJML's singular value decomposition of the centred data.
 *
 * <p>Each component's sign is fixed so that its largest-magnitude entry is positive; SVD signs
 * are otherwise arbitrary, and fixed signs keep plots and files stable from run to run.
 */
public final class Pca {

    private final double[] mean;
    private final DMatrixRMaj components;
    private final double[] explainedVariance;
    private final double[] explainedVarianceRatio;

    private Pca(double[] mean, DMatrixRMaj components, double[] explainedVariance, double[] explainedVarianceRatio) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.explainedVarianceRatio = explainedVarianceRatio;
    }

    /**
     * Fits the top {@code k} components of {@code x} (one sample per row); fewer when the data has
     * fewer than {@code k} dimensions or samples.
     */
    public static Pca fit(DMatrixRMaj x, int k) {
        int n = x.numRows;
        int d = x.numCols;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 samples, got " + n);
        }
        double[] mean = Samples.mean(x);
        DMatrixRMaj centred = x.copy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred.data[i * d + j] -= mean[j];
            }
        }
        // Wider than long: decompose the n x n row-space coordinates instead (X = C Q^T, so the
        // right singular vectors of X are Q times those of C); same components, far less work.
        RowSpace rowSpace = d > n ? RowSpace.of(centred) : null;
        DMatrixRMaj a = rowSpace == null ? centred : rowSpace.coordinates();
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, true, true);
        if (!svd.decompose(a)) {
            throw new IllegalStateException("SVD did not converge on a " + a.numRows + "x" + a.numCols + " matrix");
        }
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(null, false, w, v, false);
        if (rowSpace != null) {
            DMatrixRMaj lifted = new DMatrixRMaj(d, v.numCols);
            CommonOps_DDRM.mult(rowSpace.basis(), v, lifted);
            v = lifted;
        }

        int available = Math.min(w.numRows, w.numCols);
        double total = 0;
        for (int i = 0; i < available; i++) {
            total += w.get(i, i) * w.get(i, i);
        }
        int kept = Math.min(k, available);
        DMatrixRMaj comps = new DMatrixRMaj(kept, d);
        double[] variance = new double[kept];
        double[] ratio = new double[kept];
        for (int c = 0; c < kept; c++) {
            double s2 = w.get(c, c) * w.get(c, c);
            variance[c] = s2 / (n - 1);
            ratio[c] = total > 0 ? s2 / total : 0;
            int argMax = 0;
            for (int j = 0; j < d; j++) {
                if (Math.abs(v.get(j, c)) > Math.abs(v.get(argMax, c))) {
                    argMax = j;
                }
            }
            double sign = v.get(argMax, c) < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                comps.set(c, j, sign * v.get(j, c));
            }
        }
        return new Pca(mean, comps, variance, ratio);
    }

    /** Coordinates of {@code x}'s rows on the components: {@code (x - mean) * components^T}. */
    public DMatrixRMaj project(DMatrixRMaj x) {
        if (x.numCols != mean.length) {
            throw new IllegalArgumentException("PCA fitted on " + mean.length + " features, got " + x.numCols);
        }
        DMatrixRMaj centred = x.copy();
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                centred.data[i * x.numCols + j] -= mean[j];
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, components.numRows);
        CommonOps_DDRM.multTransB(centred, components, out);
        return out;
    }

    /** Number of components kept. */
    public int size() {
        return components.numRows;
    }

    /** Component {@code c} as a unit vector. */
    public double[] component(int c) {
        double[] out = new double[components.numCols];
        System.arraycopy(components.data, c * components.numCols, out, 0, out.length);
        return out;
    }

    /** Variance along each component (unbiased, divided by n - 1). */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** Share of the total variance along each component. */
    public double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }
}
