package srg.eval;

import java.util.List;
import srg.store.RunStore.SampleState;

/**
 * Capability in one form (plain, or an attack's disguise) on benign requests: whether the model
 * still gives the help asked for, and how often it refuses. A model that can no longer answer a
 * disguised benign request is not safe against the disguise, it is broken; its low ASR there says
 * nothing about safety.
 *
 * @param prompts benign prompts with at least one usable sample for the refusal rate
 * @param samples usable samples for the refusal rate
 * @param helpfulAt1 the mean over prompts of the share of usable samples judged helpful; null when
 *     the judge does not report helpfulness, NaN when it does but nothing was usable
 * @param helpfulCi95 bootstrap 95% interval of {@code helpfulAt1} (NaNs when it is null)
 * @param refusal the refusal rate on these prompts in this form, as over-refusal is measured
 */
public record CapabilityMetrics(int prompts, long samples, Double helpfulAt1, double[] helpfulCi95, RefusalMetrics refusal) {

    /**
     * @param prompts each benign prompt's samples in this form (those below the sampling limit)
     * @param helpfulness whether the judge reports helpfulness
     * @param seed the bootstrap's seed
     */
    public static CapabilityMetrics of(List<List<SampleState>> prompts, boolean helpfulness, int resamples, long seed) {
        RefusalMetrics refusal = RefusalMetrics.of(prompts, resamples, seed);
        if (!helpfulness) {
            return new CapabilityMetrics(refusal.prompts(), refusal.samples(), null, new double[] {Double.NaN, Double.NaN}, refusal);
        }
        PromptShares helpful = PromptShares.of(prompts, PromptShares.judgedWith(SampleState::helpful), SampleState::helpful, resamples,
                seed ^ 0x5bd1e995L);
        return new CapabilityMetrics(refusal.prompts(), refusal.samples(), helpful.rate(), helpful.ci95(), refusal);
    }
}
