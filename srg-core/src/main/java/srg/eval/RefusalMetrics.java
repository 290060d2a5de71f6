package srg.eval;

import java.util.List;
import srg.store.RunStore.SampleState;

/**
 * Over-refusal on benign prompts: the mean, over prompts, of the fraction of usable samples that
 * the refusal judge calls refusals.
 *
 * @param prompts benign prompts with at least one usable sample
 * @param samples usable samples
 * @param errors samples left out (failed generation, judge error, or no refusal flag)
 * @param refusalRate the over-refusal rate, NaN when nothing was usable
 * @param ci95 bootstrap 95% interval {lower, upper}
 */
public record RefusalMetrics(int prompts, long samples, long errors, double refusalRate, double[] ci95) {

    /**
     * @param prompts each benign prompt's samples (those below the sampling limit)
     * @param seed the bootstrap's seed
     */
    public static RefusalMetrics of(List<List<SampleState>> prompts, int resamples, long seed) {
        PromptShares s = PromptShares.of(prompts, PromptShares.judgedWith(SampleState::refusal), SampleState::refusal, resamples, seed);
        return new RefusalMetrics(s.prompts(), s.samples(), s.skipped(), s.rate(), s.ci95());
    }
}
