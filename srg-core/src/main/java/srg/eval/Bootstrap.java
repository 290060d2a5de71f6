package srg.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap intervals for a mean over prompts: resample prompts with replacement,
 * recompute the mean, take the 2.5% and 97.5% quantiles. Seeded, so a report is reproducible.
 */
public final class Bootstrap {

    private Bootstrap() {}

    /**
     * 95% intervals of the column means of {@code rows} (one row per prompt, NaN = missing, left out
     * of that column's mean), for the given columns.
     *
     * @return {@code [column][2]} lower and upper bounds, NaN when a column has no values
     */
    public static double[][] meanCi95(double[][] rows, int[] columns, int resamples, long seed) {
        double[][] out = new double[columns.length][2];
        int p = rows.length;
        if (p == 0 || resamples < 1) {
            for (double[] ci : out) {
                Arrays.fill(ci, Double.NaN);
            }
            return out;
        }
        double[][] means = new double[columns.length][resamples];
        double[] sum = new double[columns.length];
        int[] count = new int[columns.length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            for (int i = 0; i < p; i++) {
                double[] row = rows[random.nextInt(p)];
                for (int c = 0; c < columns.length; c++) {
                    double v = row[columns[c]];
                    if (!Double.isNaN(v)) {
                        sum[c] += v;
                        count[c]++;
                    }
                }
            }
            for (int c = 0; c < columns.length; c++) {
                means[c][b] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
            }
        }
        for (int c = 0; c < columns.length; c++) {
            double[] m = Arrays.stream(means[c]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (m.length == 0) {
                out[c][0] = out[c][1] = Double.NaN;
            } else {
                out[c][0] = quantile(m, 0.025);
                out[c][1] = quantile(m, 0.975);
            }
        }
        return out;
    }

    /** The mean of one column of {@code rows} (NaN values left out), the estimate {@link #meanCi95} brackets; NaN when none. */
    public static double mean(double[][] rows, int column) {
        double sum = 0;
        int count = 0;
        for (double[] r : rows) {
            if (!Double.isNaN(r[column])) {
                sum += r[column];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Linear interpolation between order statistics (type 7, as R and NumPy default). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
