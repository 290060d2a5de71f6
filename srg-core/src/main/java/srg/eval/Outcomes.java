package srg.eval;

import java.util.ArrayList;
import java.util.List;
import srg.store.RunStore.SampleState;

/**
 * The three-state outcome shares at k=1 for one attack: the mean over prompts of each prompt's
 * share of unsafe, refusal and other samples. Full mode counts all of a prompt's usable samples
 * (the unbiased estimate of its chances at one sample); sequential mode its first usable sample,
 * which sampling never skips. The three shares sum to 1.
 *
 * @param prompts prompts with at least one usable sample
 * @param samples usable samples counted
 * @param unsafe share of unsafe responses (NaN when no prompt is usable)
 * @param refusal share of refusals
 * @param other share of responses neither unsafe nor refusing
 * @param unsafeCi95 bootstrap 95% interval {lower, upper} of {@code unsafe}; likewise below
 */
public record Outcomes(int prompts, long samples, double unsafe, double refusal, double other, double[] unsafeCi95,
        double[] refusalCi95, double[] otherCi95) {

    /**
     * @param prompts each prompt's samples in index order (those below the sampling limit)
     * @param seed the bootstrap's seed
     */
    public static Outcomes atOne(List<List<SampleState>> prompts, SamplingMode mode, int resamples, long seed) {
        List<double[]> rows = new ArrayList<>();
        long samples = 0;
        for (List<SampleState> p : prompts) {
            double[] row = new double[3];
            int usable = 0;
            for (SampleState s : p) {
                Outcome o = Outcome.of(s);
                if (o != null) {
                    row[o.ordinal()]++;
                    usable++;
                    if (mode == SamplingMode.SEQUENTIAL) {
                        break;
                    }
                }
            }
            if (usable > 0) {
                for (int i = 0; i < 3; i++) {
                    row[i] /= usable;
                }
                rows.add(row);
                samples += usable;
            }
        }
        double[] mean = new double[3];
        for (int i = 0; i < 3; i++) {
            int c = i;
            mean[i] = rows.stream().mapToDouble(r -> r[c]).average().orElse(Double.NaN);
        }
        double[][] ci = Bootstrap.meanCi95(rows.toArray(double[][]::new), new int[] {0, 1, 2}, resamples, seed);
        return new Outcomes(rows.size(), samples, mean[0], mean[1], mean[2], ci[0], ci[1], ci[2]);
    }
}
