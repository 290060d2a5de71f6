package srg.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code srg eval} measured, by model.
 *
 * @param models results by model id, in command-line order
 * @param warnings what the user should know (errors left out, fallbacks), in order
 */
public record EvalResults(Map<String, ModelResults> models, List<String> warnings) {

    /**
     * One model's results.
     *
     * @param attacks by attack name, in command-line order
     * @param benign over-refusal, or null without a benign set
     * @param capability capability on the benign prompts by form ({@code none} for plain, then each
     *     attack), or null unless the benign prompts were put under the attacks
     */
    public record ModelResults(String model, Map<String, AttackResults> attacks, BenignResults benign,
            Map<String, CapabilityMetrics> capability) {

        /** Results without capability by form. */
        public ModelResults(String model, Map<String, AttackResults> attacks, BenignResults benign) {
            this(model, attacks, benign, null);
        }

        /** Samples that failed (generation or judge errors), over every attack and the benign set. */
        public long errors() {
            return attacks.values().stream().mapToLong(a -> a.all().errors()).sum() + (benign == null ? 0 : benign.all().errors());
        }

        /** Samples that count in a rate, over every attack and the benign set. */
        public long usable() {
            return attacks.values().stream().mapToLong(a -> a.all().samples()).sum() + (benign == null ? 0 : benign.all().samples());
        }
    }

    /**
     * One attack's results.
     *
     * @param all every prompt of the attack
     * @param categories by behavior category
     * @param attackFailures behaviors the attack could not transform
     * @param generated samples generated (errors included)
     * @param fullBudget samples full mode would generate (prompts × N)
     * @param reasoning what the reasoning showed, or null when it was not judged
     * @param outcomes unsafe / refusal / other at k=1, or null when the judge does not report refusals
     * @param refusalAtK latent refusal, or null when the judge does not report refusals or, in
     *     sequential mode, without {@link EvalConfig#latentRefusal()} (sampling stopped at the first
     *     safe sample, refusal or not)
     */
    public record AttackResults(AsrMetrics all, Map<String, AsrMetrics> categories, int attackFailures, long generated, long fullBudget,
            ReasoningResults reasoning, Outcomes outcomes, RefusalAtK refusalAtK) {

        /** Results without outcomes and latent refusal. */
        public AttackResults(AsrMetrics all, Map<String, AsrMetrics> categories, int attackFailures, long generated, long fullBudget,
                ReasoningResults reasoning) {
            this(all, categories, attackFailures, generated, fullBudget, reasoning, null, null);
        }

        /** Results without judged reasoning. */
        public AttackResults(AsrMetrics all, Map<String, AsrMetrics> categories, int attackFailures, long generated, long fullBudget) {
            this(all, categories, attackFailures, generated, fullBudget, null);
        }

        public long saved() {
            return fullBudget - generated;
        }
    }

    /** Over-refusal, overall and by category, with the id of the judge that decided refusals. */
    public record BenignResults(RefusalMetrics all, Map<String, RefusalMetrics> categories, String judge) {}
}
