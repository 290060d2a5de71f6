package srg.probe;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

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
        if (!qr.decompose(xt.copy())) {
            // EJML's Householder QR refuses a column that is exactly zero after the earlier
            // reflections, e.g. when every row is the same (the last prompt token at the embedding
            // layer is one token for all prompts). The SVD X = U S V^T handles any rank.
            return bySvd(x);
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        DMatrixRMaj coords = new DMatrixRMaj(r.numCols, r.numRows);
        CommonOps_DDRM.transpose(r, coords);
        return new RowSpace(q, coords);
    }

    private static RowSpace bySvd(DMatrixRMaj x) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(x.numRows, x.numCols, true, true, true);
        if (!svd.decompose(x.copy())) {
            throw new IllegalStateException("SVD did not converge on a " + x.numRows + "x" + x.numCols + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj coords = new DMatrixRMaj(u.numRows, u.numCols);
        CommonOps_DDRM.mult(u, w, coords);
        return new RowSpace(svd.getV(null, false), coords);
    }

    /** {@code basis * v}: a vector given in row-space coordinates, back in feature space. */
    double[] lift(double[] v) {
        DMatrixRMaj out = new DMatrixRMaj(basis.numRows, 1);
        CommonOps_DDRM.mult(basis, DMatrixRMaj.wrap(v.length, 1, v), out);
        return out.data;
    }
}
