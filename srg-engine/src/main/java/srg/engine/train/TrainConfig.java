package srg.engine.train;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import srg.SettingError;
import srg.engine.lora.LoraConfig;
import srg.engine.model.Precision;

/**
 * Everything that decides a training run's result, plus how often to checkpoint and evaluate.
 * Defaults ({@link #builder()}) follow common LoRA SFT practice: LoRA r 16 / alpha 32 / dropout
 * 0.05 on every projection, lr 1e-4, 3 epochs, 10% warmup then cosine decay, effective batch 8
 * (2 × 4 accumulation steps), AdamW (0.9, 0.999, 1e-8, no weight decay), gradient norm clipped at 1,
 * each step split into micro-batches by length.
 *
 * @param lora the adapter shape in {@link Mode#LORA}; null in {@link Mode#FULL}
 * @param maxSteps stop after this many optimizer steps (0: run all epochs)
 * @param warmupRatio fraction of the steps over which the learning rate rises linearly
 * @param batchSize sequences per forward pass
 * @param gradAccum forward passes whose gradients add up to one optimizer step
 * @param anchorDecay decoupled decay towards the weights the run started from rather than towards
 *     zero (L2-SP, Li et al. 2018, in AdamW's decoupled form): after each update every trainable
 *     weight moves back by {@code lr * anchorDecay} of its distance from its starting value, so that
 *     fine-tuning keeps near the base where its data do not push persistently (0: off)
 * @param maxGradNorm clip the global gradient norm to this (0: no clipping)
 * @param seed decides LoRA initialisation, data order and dropout masks
 * @param checkpointEvery save a resumable checkpoint every this many steps (0: never, except on Ctrl-C)
 * @param evalEvery held-out loss every this many steps (0: at the end only)
 * @param earlyStopping stop once this many held-out evaluations in a row have not lowered the best
 *     held-out loss, and keep the weights of the best one (0: off; needs {@code evalEvery} and
 *     held-out data)
 * @param precision the matmul format: F32, or BF16 mixed precision (BF16 matmuls forward and
 *     backward; F32 master weights, gradients, optimizer state, norms, softmax and loss)
 * @param splitByLength split each step's examples into the micro-batches (at most {@code batchSize}
 *     sequences each) that pad least, instead of fixed runs of {@code batchSize}; the step's loss
 *     is a mean over all its target tokens either way, so its gradient is the same up to float
 *     rounding ({@link BatchPlan})
 * @param freezeEmbeddings in {@link Mode#FULL}, which rows of the token embedding and LM head stay
 *     as the base had them ({@link EmbeddingFreeze}); every other weight trains
 * @param anchorParams in {@link Mode#FULL} with {@code anchorDecay}, a regular expression: the pull
 *     holds only the weights whose Hugging Face names it matches in full (for instance
 *     {@code model\.(embed_tokens|layers\.[01])\..*}, the embedding and the first two blocks), and
 *     the others train free; null: every weight
 * @param anchorImportance how hard the pull holds each weight: all alike, or by its importance to the
 *     base's pretraining text ({@link AnchorImportance})
 */
public record TrainConfig(
        Mode mode,
        LoraConfig lora,
        int epochs,
        int maxSteps,
        double learningRate,
        double warmupRatio,
        int batchSize,
        int gradAccum,
        double weightDecay,
        double anchorDecay,
        double beta1,
        double beta2,
        double epsilon,
        double maxGradNorm,
        long seed,
        int checkpointEvery,
        int evalEvery,
        int earlyStopping,
        Precision precision,
        boolean splitByLength,
        EmbeddingFreeze freezeEmbeddings,
        String anchorParams,
        AnchorImportance anchorImportance) {

    /** Which weights train. */
    public enum Mode {
        /** Low-rank adapters on frozen base weights. */
        LORA,
        /** Every weight of the model. */
        FULL
    }

    public TrainConfig {
        if (mode == Mode.LORA && lora == null) {
            throw new IllegalArgumentException("LoRA mode needs a LoraConfig");
        }
        if (mode == Mode.FULL) {
            lora = null; // one full-training config, however it was built
        }
        check(epochs >= 1 || maxSteps >= 1, "epochs", "must be at least 1, got " + epochs);
        check(maxSteps >= 0, "max_steps", "must be >= 0, got " + maxSteps);
        check(learningRate > 0 && Double.isFinite(learningRate), "lr", "must be positive, got " + learningRate);
        check(warmupRatio >= 0 && warmupRatio <= 1, "warmup", "must be in [0, 1], got " + warmupRatio);
        check(batchSize >= 1, "batch", "must be at least 1, got " + batchSize);
        check(gradAccum >= 1, "grad_accum", "must be at least 1, got " + gradAccum);
        check(weightDecay >= 0, "weight_decay", "must be >= 0, got " + weightDecay);
        check(anchorDecay >= 0 && Double.isFinite(anchorDecay), "anchor_decay", "must be >= 0, got " + anchorDecay);
        if (anchorDecay * learningRate > 1) {
            // The pull takes back lr × anchor_decay of the distance at every step: more than all of it overshoots.
            throw SettingError.naming("{anchor_decay} × {lr} must be at most 1, got " + anchorDecay + " × " + learningRate,
                    "anchor_decay", "lr");
        }
        check(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got " + beta1);
        check(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got " + beta2);
        check(epsilon > 0, "eps", "must be positive, got " + epsilon);
        check(maxGradNorm >= 0, "clip", "must be >= 0 (0 disables clipping), got " + maxGradNorm);
        check(checkpointEvery >= 0, "checkpoint_every", "must be >= 0, got " + checkpointEvery);
        check(evalEvery >= 0, "eval_every", "must be >= 0, got " + evalEvery);
        check(earlyStopping >= 0, "early_stopping", "must be >= 0 (0: off), got " + earlyStopping);
        if (earlyStopping > 0 && evalEvery == 0) {
            throw SettingError.naming("{early_stopping} needs held-out evaluations during the run: set {eval_every} (now 0)"
                    + " to a number of steps", "early_stopping", "eval_every");
        }
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(freezeEmbeddings, "freezeEmbeddings");
        if (freezeEmbeddings != EmbeddingFreeze.NONE && mode == Mode.LORA) {
            throw SettingError.of("freeze_embeddings", "applies to full fine-tuning; LoRA trains adapters only and"
                    + " leaves the embedding as it is");
        }
        Objects.requireNonNull(anchorImportance, "anchorImportance");
        if (anchorImportance != AnchorImportance.UNIFORM) {
            if (anchorDecay == 0) {
                throw SettingError.naming("{anchor_importance} weighs the pull of {anchor_decay}, and that is 0 (off)",
                        "anchor_importance", "anchor_decay");
            }
            check(mode == Mode.FULL, "anchor_importance", "applies to full fine-tuning");
        }
        if (anchorParams != null) {
            if (anchorDecay == 0) {
                throw SettingError.naming("{anchor_params} chooses the weights that {anchor_decay} pulls back, and that is 0 (off)",
                        "anchor_params", "anchor_decay");
            }
            check(mode == Mode.FULL, "anchor_params", "applies to full fine-tuning; LoRA's adapters are all pulled");
            try {
                Pattern.compile(anchorParams);
            } catch (PatternSyntaxException e) {
                throw SettingError.of("anchor_params", "is not a regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " of '" + anchorParams + "'");
            }
        }
    }

    /** Whether the anchor pull holds the weight named {@code name} (with anchor_decay on). */
    public boolean anchors(String name) {
        return anchorParams == null || Pattern.matches(anchorParams, name);
    }

    private static void check(boolean ok, String setting, String problem) {
        if (!ok) {
            throw SettingError.of(setting, problem);
        }
    }

    public int effectiveBatch() {
        return batchSize * gradAccum;
    }

    /**
     * The settings that decide the result, as JSON: a resumed run must match them. How often to
     * checkpoint may change between runs, and how often to evaluate unless the evaluations decide
     * when to stop.
     */
    public ObjectNode resultDefiningJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("mode", mode.name().toLowerCase(Locale.ROOT));
        if (mode == Mode.LORA) {
            o.put("lora_rank", lora.rank());
            o.put("lora_alpha", lora.alpha());
            o.put("lora_dropout", lora.dropout());
            o.put("lora_targets", String.join(",", lora.targetNames()));
        }
        o.put("epochs", epochs);
        o.put("max_steps", maxSteps);
        o.put("lr", learningRate);
        o.put("warmup", warmupRatio);
        o.put("batch", batchSize);
        o.put("grad_accum", gradAccum);
        o.put("weight_decay", weightDecay);
        if (anchorDecay > 0) {
            o.put("anchor_decay", anchorDecay); // absent when off, so that earlier runs keep their identity
        }
        if (anchorParams != null) {
            o.put("anchor_params", anchorParams); // absent when every weight is pulled, as before it existed
        }
        anchorImportance.writeTo(o); // absent when uniform, as before it existed
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("eps", epsilon);
        o.put("clip", maxGradNorm);
        o.put("seed", seed);
        if (earlyStopping > 0) {
            // Absent when off, so that the fingerprints of runs made before early stopping hold.
            o.put("early_stopping", earlyStopping);
            o.put("eval_every", evalEvery);
        }
        if (precision != Precision.F32) {
            o.put("compute_dtype", precision.name().toLowerCase(Locale.ROOT)); // absent for F32, as before BF16 existed
        }
        if (splitByLength) {
            // The gradient is the same in exact arithmetic but not bit for bit, so it is part of the
            // run's identity; absent when off, so that runs made before the split keep theirs.
            o.put("split_by_length", true);
        }
        freezeEmbeddings.writeTo(o); // absent when off, so that earlier runs keep their identity
        return o;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every setting of this config, for a copy that changes a few. */
    public Builder toBuilder() {
        return new Builder().mode(mode).lora(lora).epochs(epochs).maxSteps(maxSteps).learningRate(learningRate)
                .warmupRatio(warmupRatio).batchSize(batchSize).gradAccum(gradAccum).weightDecay(weightDecay)
                .anchorDecay(anchorDecay).betas(beta1, beta2).epsilon(epsilon).maxGradNorm(maxGradNorm).seed(seed).checkpointEvery(checkpointEvery)
                .evalEvery(evalEvery).earlyStopping(earlyStopping).precision(precision).splitByLength(splitByLength)
                .freezeEmbeddings(freezeEmbeddings).anchorParams(anchorParams)
                .anchorImportance(anchorImportance);
    }

    /** Defaults as documented on {@link TrainConfig}; set what differs. */
    public static final class Builder {
        private Mode mode = Mode.LORA;
        private LoraConfig lora = LoraConfig.DEFAULT;
        private int epochs = 3;
        private int maxSteps;
        private double learningRate = 1e-4;
        private double warmupRatio = 0.1;
        private int batchSize = 2;
        private int gradAccum = 4;
        private double weightDecay;
        private double anchorDecay;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double maxGradNorm = 1.0;
        private long seed;
        private int checkpointEvery;
        private int evalEvery;
        private int earlyStopping;
        private Precision precision = Precision.F32;
        private boolean splitByLength = true;
        private EmbeddingFreeze freezeEmbeddings = EmbeddingFreeze.NONE;
        private String anchorParams;
        private AnchorImportance anchorImportance = AnchorImportance.UNIFORM;

        public Builder mode(Mode m) { this.mode = m; return this; }
        public Builder lora(LoraConfig c) { this.lora = c; return this; }
        public Builder epochs(int e) { this.epochs = e; return this; }
        public Builder maxSteps(int s) { this.maxSteps = s; return this; }
        public Builder learningRate(double lr) { this.learningRate = lr; return this; }
        public Builder warmupRatio(double w) { this.warmupRatio = w; return this; }
        public Builder batchSize(int b) { this.batchSize = b; return this; }
        public Builder gradAccum(int g) { this.gradAccum = g; return this; }
        public Builder weightDecay(double w) { this.weightDecay = w; return this; }
        public Builder anchorDecay(double a) { this.anchorDecay = a; return this; }
        public Builder betas(double b1, double b2) { this.beta1 = b1; this.beta2 = b2; return this; }
        public Builder epsilon(double e) { this.epsilon = e; return this; }
        public Builder maxGradNorm(double n) { this.maxGradNorm = n; return this; }
        public Builder seed(long s) { this.seed = s; return this; }
        public Builder checkpointEvery(int k) { this.checkpointEvery = k; return this; }
        public Builder evalEvery(int k) { this.evalEvery = k; return this; }
        public Builder earlyStopping(int patience) { this.earlyStopping = patience; return this; }
        public Builder precision(Precision p) { this.precision = p; return this; }
        public Builder splitByLength(boolean on) { this.splitByLength = on; return this; }
        public Builder freezeEmbeddings(EmbeddingFreeze f) { this.freezeEmbeddings = f; return this; }
        public Builder anchorParams(String regex) { this.anchorParams = regex; return this; }
        public Builder anchorImportance(AnchorImportance a) { this.anchorImportance = a; return this; }

        public TrainConfig build() {
            return new TrainConfig(mode, lora, epochs, maxSteps, learningRate, warmupRatio, batchSize, gradAccum,
                    weightDecay, anchorDecay, beta1, beta2, epsilon, maxGradNorm, seed, checkpointEvery, evalEvery, earlyStopping, precision,
                    splitByLength, freezeEmbeddings, anchorParams, anchorImportance);
        }
    }
}
