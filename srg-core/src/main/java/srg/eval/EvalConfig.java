package srg.eval;

import java.util.List;
import java.util.Objects;
import srg.attack.Attack;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.data.Behavior;

/**
 * What to evaluate and how.
 *
 * @param harmful the behaviors to attack
 * @param benign the benign prompts for over-refusal (may be empty)
 * @param attacks the attacks, {@code none} for plain prompts
 * @param attackConfig the attacks' settings (seed, helper model) as a string: stored attacked
 *     prompts made with other settings are made again
 * @param n samples per attacked prompt (N of Best-of-N)
 * @param mode full or sequential
 * @param sampling the target's sampling settings
 * @param benignSamples samples per benign prompt
 * @param batchSamples the most samples requested from a model in one call (one transaction)
 * @param judgeBatch the most responses sent to a judge in one call
 * @param bootstrapResamples bootstrap resamples for the 95% intervals (0: none)
 * @param seed seed of the bootstrap
 * @param reasoning whether the reasoning of reasoning models is judged, and counted
 * @param tags the reasoning's tags: judges see the final answer, the text after the closing tag
 * @param benignUnderAttacks whether the benign behaviors also go through every (non-iterative)
 *     attack, {@code benignSamples} samples each, judged by the refusal judge: capability by
 *     form. The plain benign prompts' over-refusal is measured either way.
 * @param latentRefusal in sequential mode, whether a prompt is sampled until it has a sample that
 *     is not unsafe and a refusal (or N usable samples), so that refusal@k is observed too;
 *     nothing in full mode, which has every sample anyway
 */
public record EvalConfig(List<Behavior> harmful, List<Behavior> benign, List<Attack> attacks, String attackConfig,
        int n, SamplingMode mode, SamplingParams sampling, int benignSamples, int batchSamples, int judgeBatch,
        int bootstrapResamples, long seed, ReasoningPolicy reasoning, ThinkTags tags, boolean benignUnderAttacks,
        boolean latentRefusal) {

    public EvalConfig {
        harmful = List.copyOf(harmful);
        benign = List.copyOf(benign);
        attacks = List.copyOf(attacks);
        if (n < 1 || benignSamples < 1 || batchSamples < 1 || judgeBatch < 1 || bootstrapResamples < 0) {
            throw new IllegalArgumentException("n, benign samples, batch sizes must be >= 1, resamples >= 0");
        }
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(tags, "tags");
    }

    /** Neither benign prompts under attacks nor latent refusal. */
    public EvalConfig(List<Behavior> harmful, List<Behavior> benign, List<Attack> attacks, String attackConfig,
            int n, SamplingMode mode, SamplingParams sampling, int benignSamples, int batchSamples, int judgeBatch,
            int bootstrapResamples, long seed, ReasoningPolicy reasoning, ThinkTags tags) {
        this(harmful, benign, attacks, attackConfig, n, mode, sampling, benignSamples, batchSamples, judgeBatch, bootstrapResamples, seed,
                reasoning, tags, false, false);
    }

    /** Reasoning is not judged; the default think tags split it off the final answer. */
    public EvalConfig(List<Behavior> harmful, List<Behavior> benign, List<Attack> attacks, String attackConfig,
            int n, SamplingMode mode, SamplingParams sampling, int benignSamples, int batchSamples, int judgeBatch,
            int bootstrapResamples, long seed) {
        this(harmful, benign, attacks, attackConfig, n, mode, sampling, benignSamples, batchSamples, judgeBatch, bootstrapResamples, seed,
                ReasoningPolicy.OFF, ThinkTags.DEFAULT);
    }

    /** The same configuration with another reasoning policy and tags. */
    public EvalConfig withReasoning(ReasoningPolicy policy, ThinkTags thinkTags) {
        return new EvalConfig(harmful, benign, attacks, attackConfig, n, mode, sampling, benignSamples, batchSamples, judgeBatch,
                bootstrapResamples, seed, policy, thinkTags, benignUnderAttacks, latentRefusal);
    }

    /** The same configuration with the benign behaviors put through every attack, or not. */
    public EvalConfig withBenignUnderAttacks(boolean on) {
        return new EvalConfig(harmful, benign, attacks, attackConfig, n, mode, sampling, benignSamples, batchSamples, judgeBatch,
                bootstrapResamples, seed, reasoning, tags, on, latentRefusal);
    }

    /** The same configuration with sequential mode sampling on to the first refusal, or not. */
    public EvalConfig withLatentRefusal(boolean on) {
        return new EvalConfig(harmful, benign, attacks, attackConfig, n, mode, sampling, benignSamples, batchSamples, judgeBatch,
                bootstrapResamples, seed, reasoning, tags, benignUnderAttacks, on);
    }

    /**
     * The most sample indices drawn per prompt: N in full mode; in sequential mode N usable
     * samples plus as many failed ones, which are skipped.
     */
    public int sampleLimit() {
        return mode == SamplingMode.FULL ? n : 2 * n;
    }

    /** Defaults for everything but the data, the attacks and N. */
    public static EvalConfig of(List<Behavior> harmful, List<Behavior> benign, List<Attack> attacks, int n, SamplingMode mode,
            SamplingParams sampling) {
        return new EvalConfig(harmful, benign, attacks, "", n, mode, sampling, 1, 512, 64, 1000, 0);
    }
}
