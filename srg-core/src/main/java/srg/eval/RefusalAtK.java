package srg.eval;

import java.util.SortedMap;

/**
 * Latent refusal of one attack: refusal@k, the share of prompts with at least one refusal among k
 * samples (see {@link LatentRefusal}). Beside ASR@k it tells a model that knows to refuse some of
 * the time from one that never refuses and merely fails to comply.
 *
 * @param rates element k−1 is refusal@k (NaN if no prompt has k usable samples)
 * @param promptsAtK element k−1 is the number of prompts in refusal@k's denominator
 * @param ci95 bootstrap 95% interval by k, on the same k grid as ASR@k
 */
public record RefusalAtK(double[] rates, int[] promptsAtK, SortedMap<Integer, double[]> ci95) {

    /** refusal@k, k from 1. */
    public double at(int k) {
        return rates[k - 1];
    }
}
