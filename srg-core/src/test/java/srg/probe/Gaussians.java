package srg.probe;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Seeded Gaussian samples for the analysis tests. */
final class Gaussians {

    private Gaussians() {}

    /** {@code n} rows of N(mean, sd^2 I). */
    static DMatrixRMaj sample(int n, double[] mean, double sd, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, mean.length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mean.length; j++) {
                x.set(i, j, mean[j] + sd * gaussian(random));
            }
        }
        return x;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    static double[] vector(int d, int axis, double value) {
        double[] v = new double[d];
        v[axis] = value;
        return v;
    }
}
