package srg.probe;

import org.ejml.data.DMatrixRMaj;

/**
 * How far apart two sets of hidden states are (here: ID harmful vs an OOD set), by two standard
 * domain-adaptation measures.
 *
 * <ul>
 *   <li><b>Proxy A-distance</b> (Ben-David et al., 2007): {@code 2 (1 - 2 eps)}, where {@code eps}
 *       is the held-out error of a {@link LogisticProbe} trained to tell the sets apart on a seeded,
 *       stratified half of each. The error is the <em>balanced</em> error (mean of the two sets'
 *       error rates), so sets of different sizes do not inflate the distance. 0 means the sets
 *       cannot be told apart, 2 that they are perfectly separable. Values below 0 (a classifier
 *       worse than chance, which is noise) are reported as 0; the raw error is kept beside it.
 *   <li><b>Linear-kernel MMD²</b> (Gretton et al., 2012): with {@code k(x, y) = x . y}, MMD² is
 *       the squared distance between the means. The unbiased estimate is
 *       {@code ||mean(P) - mean(Q)||^2 - tr(S_P)/n_P - tr(S_Q)/n_Q} (S = sample covariance), which
 *       removes the positive bias of the plain distance and is about 0 for identical
 *       distributions (it can be slightly negative). Hidden-state norms grow with depth, so a
 *       scale-free version, divided by the mean total variance {@code (tr S_P + tr S_Q) / 2}, is
 *       given too for plots against layer.
 * </ul>
 */
public final class DomainDivergence {

    /** Half of each set trains the domain classifier, half scores it. */
    public static final double HELD_OUT_FRACTION = 0.5;

    private DomainDivergence() {}

    /**
     * @param proxyADistance {@code max(0, 2 (1 - 2 heldOutError))}
     * @param heldOutError balanced error of the domain classifier on the held-out halves
     */
    public record ProxyADistance(double proxyADistance, double heldOutError) {}

    /**
     * @param mmd2 unbiased linear-kernel MMD², in squared hidden-state units
     * @param mmd2Scaled {@code mmd2} divided by the mean total variance of the two sets
     */
    public record LinearMmd(double mmd2, double mmd2Scaled) {}

    /**
     * Proxy A-distance between {@code p} and {@code q}; each needs at least 2 rows.
     *
     * @param l2 L2 strength of the domain classifier
     * @param seed seeds the split
     */
    public static ProxyADistance proxyADistance(DMatrixRMaj p, DMatrixRMaj q, double l2, long seed) {
        DMatrixRMaj x = Samples.stack(p, q);
        boolean[] y = Samples.stackLabels(p.numRows, q.numRows);
        StratifiedSplit split = StratifiedSplit.of(y, HELD_OUT_FRACTION, seed);
        LogisticProbe classifier = LogisticProbe.fit(Samples.rows(x, split.train()), StratifiedSplit.pick(y, split.train()), l2);
        double error = classifier.balancedError(Samples.rows(x, split.test()), StratifiedSplit.pick(y, split.test()));
        return new ProxyADistance(Math.max(0, 2 * (1 - 2 * error)), error);
    }

    /** Unbiased linear-kernel MMD² between {@code p} and {@code q}; each needs at least 2 rows. */
    public static LinearMmd linearMmd(DMatrixRMaj p, DMatrixRMaj q) {
        if (p.numRows < 2 || q.numRows < 2) {
            throw new IllegalArgumentException("MMD needs at least 2 rows in each set");
        }
        double[] diff = Samples.minus(Samples.mean(p), Samples.mean(q));
        double trP = Samples.totalVariance(p);
        double trQ = Samples.totalVariance(q);
        double mmd2 = Samples.dot(diff, diff) - trP / p.numRows - trQ / q.numRows;
        double scale = (trP + trQ) / 2;
        return new LinearMmd(mmd2, scale > 0 ? mmd2 / scale : 0);
    }
}
