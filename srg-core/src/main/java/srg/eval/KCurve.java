package srg.eval;

import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A rate against k (ASR@k, refusal@k) averaged over prompts from per-prompt curves, with the
 * prompts behind each k and bootstrap 95% intervals on the report's k grid.
 *
 * @param rates element k−1 is the mean at k over the prompts that have a value there (NaN if none)
 * @param promptsAtK element k−1 is the number of prompts in that mean
 * @param ci95 bootstrap 95% interval by k, for the k of {@link #grid} (empty without resamples)
 */
record KCurve(double[] rates, int[] promptsAtK, SortedMap<Integer, double[]> ci95) {

    /**
     * @param rows one curve per prompt, element k−1 for k = 1..n, NaN where the prompt cannot say
     * @param seed the bootstrap's seed
     */
    static KCurve of(double[][] rows, int n, int resamples, long seed) {
        double[] rates = new double[n];
        int[] counts = new int[n];
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (double[] row : rows) {
                if (!Double.isNaN(row[k])) {
                    sum += row[k];
                    counts[k]++;
                }
            }
            rates[k] = counts[k] == 0 ? Double.NaN : sum / counts[k];
        }
        int[] grid = grid(n);
        int[] columns = new int[grid.length];
        for (int i = 0; i < grid.length; i++) {
            columns[i] = grid[i] - 1;
        }
        TreeMap<Integer, double[]> ci95 = new TreeMap<>();
        if (resamples > 0) {
            double[][] ci = Bootstrap.meanCi95(rows, columns, resamples, seed);
            for (int i = 0; i < grid.length; i++) {
                ci95.put(grid[i], ci[i]);
            }
        }
        return new KCurve(rates, counts, ci95);
    }

    /** The k with bootstrap intervals: every k up to 64, then powers of two, and N itself. */
    static int[] grid(int n) {
        Set<Integer> ks = new TreeSet<>();
        for (int k = 1; k <= Math.min(n, 64); k++) {
            ks.add(k);
        }
        for (int k = 128; k <= n; k *= 2) {
            ks.add(k);
        }
        ks.add(n);
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }
}
