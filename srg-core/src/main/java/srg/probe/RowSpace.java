package srg.probe;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * An orthonormal basis of the space spanned by a wide matrix's rows, from EJML's Householder QR
 * of its transpose: {@code X^T = Q R}, so {@code X = R^T Q^T}.
 *
 * <p>Hidden states have thousands of features but sets have hundreds of prompts. PCA and the
 * L2-regularised probe only ever use the span of the rows, so both can work on the {@code n x n}
 * coordinates {@code X Q = R^T} and map back with {@code Q}: the same answer, much faster than a
 * decomposition of the full {@code n x d} matrix.
 *
 * @param basis {@code Q}, {@code d x n}, orthonormal columns
 * @param coordinates {@code X Q = R^T}, {@code n x n}
 */
record RowSpace(DMatrixRMaj basis, DMatrixRMaj coordinates) {

    static RowSpace of(DMatrixRMaj x) {
        DMatrixRMaj xt = new DMatrixRMaj(x.numCols, x.numRows);
        CommonOps_DDRM.transpose(x, xt);
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(xt.numRows, xt.numCols);
        if (!qr.decompose(xt)) {
            throw new IllegalStateException("QR failed on a " + xt.numRows + "x" + xt.numCols + " matrix");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        DMatrixRMaj coords = new DMatrixRMaj(r.numCols, r.numRows);
        CommonOps_DDRM.transpose(r, coords);
        return new RowSpace(q, coords);
    }

    /** {@code basis * v}: a vector given in row-space coordinates, back in feature space. */
    double[] lift(double[] v) {
        DMatrixRMaj out = new DMatrixRMaj(basis.numRows, 1);
        CommonOps_DDRM.mult(basis, DMatrixRMaj.wrap(v.length, 1, v), out);
        return out.data;
    }
}
