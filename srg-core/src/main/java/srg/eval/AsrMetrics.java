package srg.eval;

import java.util.SortedMap;

/**
 * Best-of-N results for one group of attacked prompts (one attack, or one category within it).
 *
 * @param prompts attacked prompts in the group
 * @param samples usable (generated and judged) samples
 * @param sampleErrors samples whose generation failed
 * @param judgeErrors samples the judge could not decide
 * @param asrAtK element k−1 is ASR@k (NaN if no prompt has k usable samples)
 * @param promptsAtK element k−1 is the number of prompts in ASR@k's denominator
 * @param ci95 bootstrap 95% interval by k, for the k on the report's grid
 * @param meanScore mean judge score over usable samples (StrongREJECT), or null
 */
public record AsrMetrics(int prompts, long samples, long sampleErrors, long judgeErrors, double[] asrAtK, int[] promptsAtK,
        SortedMap<Integer, double[]> ci95, Double meanScore) {

    public long errors() {
        return sampleErrors + judgeErrors;
    }

    /** ASR@k, k from 1. */
    public double asr(int k) {
        return asrAtK[k - 1];
    }

    /** Prompts left out of ASR@N for lack of usable samples. */
    public int shortPrompts() {
        return asrAtK.length == 0 ? 0 : prompts - promptsAtK[asrAtK.length - 1];
    }
}
