package srg.study.safetyworld;

import srg.SettingError;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.world.NameInTrace;
import srg.world.SafetyData;

/**
 * The SafetyWorld study plan a user asks for: the standard plan, or the smoke plan, with what they
 * changed to study recipes and scale. A null setting keeps the standard plan's; the smoke plan has
 * its own tiny recipe and model and takes none of them.
 *
 * @param n samples per attacked prompt (the setting {@code n})
 * @param smoke the tiny plan that checks the pipeline end to end ({@code smoke})
 * @param mixture the safety-training mixture by name ({@code mixture}, see {@link SafetyData.Recipe#named}); null is standard
 * @param replayPasses replay passes of the knowledge documents per epoch ({@code replay_passes})
 * @param safetyEpochs RT and SRG fine-tuning epochs ({@code safety_epochs})
 * @param safetyLr RT and SRG fine-tuning learning rate ({@code safety_lr})
 * @param safetyLora LoRA rank of RT and SRG fine-tuning, 0 for full fine-tuning ({@code safety_lora})
 * @param earlyStopping RT and SRG stop on their validation loss with this patience ({@code early_stopping}; null: off)
 * @param layers blocks of the base model ({@code layers})
 * @param hiddenSize width of the base model ({@code hidden_size})
 * @param freezeEmbeddings which token-embedding rows RT and SRG keep as the base has them ({@code freeze_embeddings})
 * @param hazardsPerKind substances of each hazardous kind ({@code hazards_per_kind}; a study file's
 *     {@code safetyworld.entities_per_kind})
 * @param harmlessPerKind substances of each harmless kind ({@code harmless_per_kind})
 * @param hazardSigns whether hazards and harmless substances are made and look differently
 *     ({@code hazard_signs}; null: the standard world's, which has them)
 * @param nameInTrace where SRG's teacher writes the asked name ({@code name_in_trace}: repeated, once,
 *     once-fact or carried; null: the standard mixture's, once-fact)
 * @param halfDetection whether the mixture keeps half of the detection requests ({@code half_detection};
 *     null: the standard mixture's)
 * @param pretrainSteps the base's pretraining steps ({@code pretrain_steps}; null: the standard plan's)
 * @param rtAnchorDecay RT's pull towards the base ({@code rt_anchor_decay}; 0: none; null: the standard plan's)
 * @param srgAnchorDecay SRG's ({@code srg_anchor_decay}; 0: none; null: the standard plan's)
 * @param anchorImportance how both pulls hold each weight ({@code anchor_importance}: uniform or fisher;
 *     null: the standard plan's)
 */
public record PlanChoices(int n, boolean smoke, String mixture, Integer replayPasses, Integer safetyEpochs, Double safetyLr,
        int safetyLora, Integer earlyStopping, Integer layers, Integer hiddenSize,
        EmbeddingFreeze freezeEmbeddings, Integer hazardsPerKind, Integer harmlessPerKind,
        Boolean hazardSigns, String nameInTrace, Boolean halfDetection, Integer pretrainSteps, Double rtAnchorDecay,
        Double srgAnchorDecay, String anchorImportance) {

    /** The plan for {@code seed}, or an error naming the setting that cannot be. */
    public StudyPlan plan(long seed) {
        if (n < 1) {
            throw SettingError.of("n", "must be at least 1, got " + n);
        }
        if (smoke) {
            if (mixture != null && !mixture.equals("standard") || replayPasses != null || safetyEpochs != null || safetyLr != null
                    || safetyLora != 0 || earlyStopping != null || layers != null || hiddenSize != null
                    || freezeEmbeddings != EmbeddingFreeze.NONE || hazardsPerKind != null
                    || harmlessPerKind != null || hazardSigns != null || nameInTrace != null || halfDetection != null
                    || pretrainSteps != null || rtAnchorDecay != null || srgAnchorDecay != null || anchorImportance != null) {
                throw SettingError.naming("{smoke} has its own tiny recipe and model: drop {mixture}, {replay_passes}, {safety_epochs}, "
                        + "{safety_lr}, {safety_lora}, {early_stopping}, {layers}, {hidden_size}, {freeze_embeddings}, "
                        + "{hazards_per_kind}, {harmless_per_kind}, {hazard_signs}, {name_in_trace}, {half_detection}, "
                        + "{pretrain_steps}, {rt_anchor_decay}, {srg_anchor_decay} and {anchor_importance}", "smoke",
                        "mixture", "replay_passes", "safety_epochs", "safety_lr", "safety_lora", "early_stopping", "layers",
                        "hidden_size", "freeze_embeddings", "hazards_per_kind", "harmless_per_kind", "hazard_signs",
                        "name_in_trace", "half_detection", "pretrain_steps", "rt_anchor_decay", "srg_anchor_decay",
                        "anchor_importance");
            }
            return StudyPlan.smoke(seed, n);
        }
        String name = mixture == null ? "standard" : mixture;
        SafetyData.Recipe recipe = SafetyData.Recipe.named(name);
        if (replayPasses != null) {
            if (!recipe.replay() || replayPasses < 1) {
                throw SettingError.naming("{replay_passes} must be at least 1, with a mixture that replays (not no-replay or "
                        + "plain-only), got " + replayPasses + " with {mixture} " + name, "replay_passes", "mixture");
            }
            recipe = recipe.withReplayPasses(replayPasses);
        }
        if (nameInTrace != null) {
            recipe = recipe.withNameInTrace(NameInTrace.parse(nameInTrace));
        }
        if (halfDetection != null) {
            recipe = recipe.withHalfDetection(halfDetection);
        }
        StudyPlan plan = StudyPlan.standard(seed, n).withSafety(recipe,
                safetyEpochs == null ? StudyPlan.SAFETY_EPOCHS : safetyEpochs,
                safetyLr == null ? StudyPlan.SAFETY_LEARNING_RATE : safetyLr, safetyLora);
        if (freezeEmbeddings != EmbeddingFreeze.NONE) {
            plan = plan.withFrozenEmbeddings(freezeEmbeddings);
        }
        if (earlyStopping != null) {
            plan = plan.withEarlyStopping(earlyStopping);
        }
        if (hazardsPerKind != null || harmlessPerKind != null) {
            plan = plan.withSubstancesPerKind(hazardsPerKind == null ? plan.world().entitiesPerKind() : hazardsPerKind,
                    harmlessPerKind == null ? plan.world().harmlessPerKind() : harmlessPerKind);
        }
        if (hazardSigns != null) {
            plan = plan.withHazardSigns(hazardSigns);
        }
        if (layers != null || hiddenSize != null) {
            plan = plan.withModel(hiddenSize == null ? plan.hiddenSize() : hiddenSize, layers == null ? plan.layers() : layers);
        }
        if (pretrainSteps != null) {
            plan = plan.withPretrainSteps(pretrainSteps);
        }
        // Checked even when unchanged: another safety_lr can make the standard pull overshoot.
        return plan.withAnchors(rtAnchorDecay == null ? plan.rtAnchorDecay() : rtAnchorDecay,
                srgAnchorDecay == null ? plan.srgAnchorDecay() : srgAnchorDecay,
                anchorImportance == null ? plan.anchorImportance() : AnchorImportance.parse(anchorImportance));
    }
}
