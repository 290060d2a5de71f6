package srg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import srg.judge.Verdict;
import srg.store.RunStore.SampleState;

/**
 * A rate over prompts: the mean, over prompts with a usable sample, of the share of usable samples
 * that have some property (refused, helpful), with its bootstrap interval. Each prompt weighs the
 * same however many samples it has.
 *
 * @param prompts prompts with at least one usable sample
 * @param samples usable samples
 * @param skipped samples left out (failed generation, judge error, or the flag not given)
 * @param rate the mean share, NaN when nothing was usable
 * @param ci95 bootstrap 95% interval {lower, upper}
 */
record PromptShares(int prompts, long samples, long skipped, double rate, double[] ci95) {

    /** A sample generated and judged, with the flag {@code flag} reads given. */
    static Predicate<SampleState> judgedWith(Function<SampleState, Boolean> flag) {
        return s -> !s.error() && s.verdict() != null && s.verdict() != Verdict.ERROR && flag.apply(s) != null;
    }

    /**
     * @param prompts each prompt's samples (those below the sampling limit)
     * @param usable which samples count
     * @param hit the property whose share is measured, asked of usable samples only
     */
    static PromptShares of(List<List<SampleState>> prompts, Predicate<SampleState> usable, Predicate<SampleState> hit, int resamples,
            long seed) {
        List<double[]> rows = new ArrayList<>();
        long samples = 0, skipped = 0;
        for (List<SampleState> p : prompts) {
            int n = 0, hits = 0;
            for (SampleState s : p) {
                if (!usable.test(s)) {
                    skipped++;
                    continue;
                }
                n++;
                hits += hit.test(s) ? 1 : 0;
            }
            samples += n;
            if (n > 0) {
                rows.add(new double[] {(double) hits / n});
            }
        }
        double rate = rows.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN);
        double[] ci = Bootstrap.meanCi95(rows.toArray(double[][]::new), new int[] {0}, resamples, seed)[0];
        return new PromptShares(rows.size(), samples, skipped, rate, ci);
    }
}
