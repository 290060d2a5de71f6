package srg.probe;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * A linear probe: L2-regularised logistic regression on standardised features, fitted by
 * Newton's method with a backtracking line search (EJML Cholesky solves). Deterministic: the same
 * data gives the same probe.
 *
 * <p>It minimises {@code sum_i c_i * logloss(x_i, y_i) + (l2 / 2) * ||w||^2} over the weights
 * {@code w} of the standardised features and an unpenalised intercept. The class weights
 * {@code c_i = n / (2 n_class)} make both classes count equally, so the 0.5 threshold and the
 * accuracy do not depend on how many prompts each set happens to have.
 *
 * <p>Hidden states are wider than the sets are long ({@code d > n}). The L2 solution then lies in
 * the span of the training rows (the gradient condition gives {@code w = -X^T r / l2}), so the
 * problem is solved exactly in {@link RowSpace} coordinates, with {@code n} unknowns instead of
 * {@code d}; an orthonormal basis keeps {@code ||w||} unchanged, so the penalty is the same.
 */
public final class LogisticProbe {

    /** The default L2 strength: scikit-learn's default {@code C = 1}. */
    public static final double DEFAULT_L2 = 1.0;

    private static final int MAX_ITERATIONS = 100;
    // Stop when half the Newton decrement (the predicted objective gain) is below this.
    private static final double TOLERANCE = 1e-10;

    private final double[] weights;
    private final double intercept;
    private final int iterations;
    private final boolean converged;

    private LogisticProbe(double[] weights, double intercept, int iterations, boolean converged) {
        this.weights = weights;
        this.intercept = intercept;
        this.iterations = iterations;
        this.converged = converged;
    }

    /**
     * Fits a probe separating {@code y = true} rows of {@code x} from the others.
     *
     * @param l2 the L2 strength, {@code > 0}
     */
    public static LogisticProbe fit(DMatrixRMaj x, boolean[] y, double l2) {
        return fit(x, y, l2, x.numCols > x.numRows);
    }

    /** As {@link #fit(DMatrixRMaj, boolean[], double)}; {@code reduce} forces the row-space route on or off. */
    static LogisticProbe fit(DMatrixRMaj x, boolean[] y, double l2, boolean reduce) {
        int n = x.numRows;
        int d = x.numCols;
        if (y.length != n) {
            throw new IllegalArgumentException(n + " rows but " + y.length + " labels");
        }
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("L2 strength must be > 0, got " + l2);
        }
        int positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("a probe needs rows of both classes");
        }
        double[] classWeight = {n / (2.0 * (n - positives)), n / (2.0 * positives)};
        double[] c = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = classWeight[y[i] ? 1 : 0];
            t[i] = y[i] ? 1 : 0;
        }

        // Standardise: per-feature mean and (population) standard deviation of the training rows.
        double[] mu = Samples.mean(x);
        double[] sigma = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x.data[i * d + j] - mu[j];
                sigma[j] += v * v;
            }
        }
        for (int j = 0; j < d; j++) {
            sigma[j] = Math.sqrt(sigma[j] / n);
            if (!(sigma[j] > 1e-12)) {
                sigma[j] = 1; // a constant feature is 0 after centring; any scale will do
            }
        }
        DMatrixRMaj z = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z.data[i * d + j] = (x.data[i * d + j] - mu[j]) / sigma[j];
            }
        }

        DMatrixRMaj features = z;
        RowSpace rowSpace = null;
        if (reduce) {
            rowSpace = RowSpace.of(z);
            features = rowSpace.coordinates();
        }

        Newton solved = newton(features, t, c, l2);

        // Back to raw features: w_raw = (Q * beta) / sigma, b_raw = b - mu . w_raw.
        double[] wStd = rowSpace == null ? solved.beta : rowSpace.lift(solved.beta);
        double[] wRaw = new double[d];
        double b = solved.intercept;
        for (int j = 0; j < d; j++) {
            wRaw[j] = wStd[j] / sigma[j];
            b -= mu[j] * wRaw[j];
        }
        return new LogisticProbe(wRaw, b, solved.iterations, solved.converged);
    }

    private record Newton(double[] beta, double intercept, int iterations, boolean converged) {}

    private static Newton newton(DMatrixRMaj f, double[] t, double[] c, double l2) {
        int n = f.numRows;
        int p = f.numCols + 1; // last coordinate is the intercept
        DMatrixRMaj a = new DMatrixRMaj(n, p);
        for (int i = 0; i < n; i++) {
            System.arraycopy(f.data, i * f.numCols, a.data, i * p, f.numCols);
            a.data[i * p + p - 1] = 1;
        }
        double[] theta = new double[p];
        DMatrixRMaj weighted = new DMatrixRMaj(n, p);
        DMatrixRMaj hessian = new DMatrixRMaj(p, p);
        DMatrixRMaj grad = new DMatrixRMaj(p, 1);
        DMatrixRMaj step = new DMatrixRMaj(p, 1);
        double objective = objective(a, theta, t, c, l2);
        for (int iter = 1; iter <= MAX_ITERATIONS; iter++) {
            double[] eta = linear(a, theta);
            // gradient = A^T (c * (p - t)) + l2 * [beta; 0]; hessian = A^T diag(c p (1 - p)) A + l2 * diag(1, .., 1, 0)
            CommonOps_DDRM.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                double prob = sigmoid(eta[i]);
                double r = c[i] * (prob - t[i]);
                double h = c[i] * prob * (1 - prob);
                for (int k = 0; k < p; k++) {
                    double aik = a.data[i * p + k];
                    grad.data[k] += aik * r;
                    weighted.data[i * p + k] = aik * h;
                }
            }
            CommonOps_DDRM.multTransA(a, weighted, hessian);
            for (int k = 0; k < p - 1; k++) {
                grad.data[k] += l2 * theta[k];
                hessian.data[k * p + k] += l2;
            }
            solve(hessian, grad, step);
            double decrement = 0;
            for (int k = 0; k < p; k++) {
                decrement += grad.data[k] * step.data[k];
            }
            if (decrement / 2 < TOLERANCE) {
                return new Newton(Arrays.copyOf(theta, p - 1), theta[p - 1], iter - 1, true);
            }
            // Backtracking (Armijo) keeps every step a descent step, even far from the optimum.
            double s = 1;
            double[] next = new double[p];
            double nextObjective;
            while (true) {
                for (int k = 0; k < p; k++) {
                    next[k] = theta[k] - s * step.data[k];
                }
                nextObjective = objective(a, next, t, c, l2);
                if (nextObjective <= objective - 1e-4 * s * decrement || s < 1e-12) {
                    break;
                }
                s /= 2;
            }
            theta = next;
            objective = nextObjective;
        }
        return new Newton(Arrays.copyOf(theta, p - 1), theta[p - 1], MAX_ITERATIONS, false);
    }

    private static void solve(DMatrixRMaj hessian, DMatrixRMaj grad, DMatrixRMaj step) {
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.symmPosDef(hessian.numRows);
        if (chol.setA(hessian.copy())) {
            chol.solve(grad, step);
            return;
        }
        // Only when every training probability has saturated to 0 or 1 is the intercept's curvature
        // zero; the pseudo-inverse then still gives the minimum-norm Newton step.
        LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
        pinv.setA(hessian.copy());
        pinv.solve(grad, step);
    }

    private static double objective(DMatrixRMaj a, double[] theta, double[] t, double[] c, double l2) {
        double[] eta = linear(a, theta);
        double sum = 0;
        for (int i = 0; i < eta.length; i++) {
            // log(1 + e^eta) - t * eta, computed without overflow
            double softplus = eta[i] > 0 ? eta[i] + Math.log1p(Math.exp(-eta[i])) : Math.log1p(Math.exp(eta[i]));
            sum += c[i] * (softplus - t[i] * eta[i]);
        }
        double penalty = 0;
        for (int k = 0; k < theta.length - 1; k++) {
            penalty += theta[k] * theta[k];
        }
        return sum + l2 / 2 * penalty;
    }

    private static double[] linear(DMatrixRMaj a, double[] theta) {
        double[] eta = new double[a.numRows];
        for (int i = 0; i < a.numRows; i++) {
            double s = 0;
            for (int k = 0; k < a.numCols; k++) {
                s += a.data[i * a.numCols + k] * theta[k];
            }
            eta[i] = s;
        }
        return eta;
    }

    private static double sigmoid(double eta) {
        return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
    }

    /** The probability that each row of {@code x} is in the positive class. */
    public double[] probabilities(DMatrixRMaj x) {
        if (x.numCols != weights.length) {
            throw new IllegalArgumentException("probe fitted on " + weights.length + " features, got " + x.numCols);
        }
        double[] out = new double[x.numRows];
        for (int i = 0; i < x.numRows; i++) {
            double s = intercept;
            for (int j = 0; j < x.numCols; j++) {
                s += x.data[i * x.numCols + j] * weights[j];
            }
            out[i] = sigmoid(s);
        }
        return out;
    }

    /** Positive-class predictions at the 0.5 threshold. */
    public boolean[] predict(DMatrixRMaj x) {
        double[] p = probabilities(x);
        boolean[] out = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] > 0.5;
        }
        return out;
    }

    /** Share of rows predicted correctly. */
    public double accuracy(DMatrixRMaj x, boolean[] y) {
        boolean[] pred = predict(x);
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
            right += pred[i] == y[i] ? 1 : 0;
        }
        return (double) right / pred.length;
    }

    /**
     * The mean of the two classes' error rates: 0.5 for a classifier that cannot tell them apart,
     * whatever the class sizes.
     */
    public double balancedError(DMatrixRMaj x, boolean[] y) {
        boolean[] pred = predict(x);
        int[] wrong = new int[2];
        int[] count = new int[2];
        for (int i = 0; i < pred.length; i++) {
            int cls = y[i] ? 1 : 0;
            count[cls]++;
            wrong[cls] += pred[i] != y[i] ? 1 : 0;
        }
        if (count[0] == 0 || count[1] == 0) {
            throw new IllegalArgumentException("balanced error needs rows of both classes");
        }
        return 0.5 * ((double) wrong[0] / count[0] + (double) wrong[1] / count[1]);
    }

    /** Share of rows predicted positive. */
    public double positiveRate(DMatrixRMaj x) {
        boolean[] pred = predict(x);
        int pos = 0;
        for (boolean b : pred) {
            pos += b ? 1 : 0;
        }
        return (double) pos / pred.length;
    }

    /** Weights on the raw (unstandardised) features. */
    public double[] weights() {
        return weights.clone();
    }

    public double intercept() {
        return intercept;
    }

    /** Newton iterations taken. */
    public int iterations() {
        return iterations;
    }

    /** Whether Newton's method met its tolerance within the iteration limit. */
    public boolean converged() {
        return converged;
    }
}
