package srg.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import srg.SettingError;
import srg.UserError;
import srg.engine.Offline;
import srg.engine.lora.LoraAdapters;
import srg.engine.model.Transformer;
import srg.engine.model.WeightLayout;
import srg.io.ContentHash;

/**
 * Trains a transformer in place, fully or through LoRA adapters, on prepared
 * {@link TrainingExample}s: AdamW, linear warmup then cosine decay, gradient accumulation with the
 * loss averaged over every target token of the step, global-norm clipping, resumable checkpoints,
 * a per-step log, optional held-out loss and early stopping on it.
 *
 * <p>Every random draw depends on the seed and the step alone (data order per epoch, dropout
 * masks per micro-batch), so a resumed run continues exactly as an uninterrupted one would.
 *
 * <p>The caller saves the result: {@link srg.engine.model.ModelWriter} for full training,
 * {@link srg.engine.lora.PeftAdapter} for the adapters.
 */
public final class Trainer implements AutoCloseable {

    static {
        Offline.enforce();
    }

    private static final long DROPOUT_SEEDS = 0xD0_0D_0001L;

    private final Transformer model;
    private final TrainConfig config;
    private final TrainListener listener;
    private final LoraAdapters adapters;
    private final List<TrainableParameter> trainables;
    private final List<RowFreeze> rowFreezes = new ArrayList<>();
    private final String knownTokensSha256; // with freeze_embeddings known; null otherwise
    private final List<TrainingExample> pretrainingText; // with anchor_importance fisher; empty otherwise
    private final ReentrantLock stateLock = new ReentrantLock();
    private volatile boolean stopRequested;
    // The thread running the step loop, null outside it. An exit hook waits for it to leave the
    // loop: a JVM that exits while a backward pass is in libtorch dies of a SIGSEGV there.
    private volatile Thread loopThread;

    /** How long the exit hook waits for the step in flight to end before letting the JVM exit. */
    private static final long STEP_IN_FLIGHT_WAIT_MS = 120_000;

    // Guarded by stateLock: what a checkpoint taken now would hold.
    private AdamW optimizer;
    private TrainCheckpoint checkpoints;
    private ObjectNode runIdentity;
    private boolean closed;
    private int stepsDone;
    private int checkpointedStep = -1;
    private long tokensDone;
    private double secondsDone;
    private double lastLoss = Double.NaN;
    private TrainCheckpoint.Best best;
    private boolean stoppedEarly;

    public Trainer(Transformer model, TrainConfig config, TrainListener listener) {
        this(model, config, listener, Set.of());
    }

    /** Without the base's pretraining text ({@link AnchorImportance#FISHER} needs it). */
    public Trainer(Transformer model, TrainConfig config, TrainListener listener, Set<Integer> knownTokens) {
        this(model, config, listener, knownTokens, List.of());
    }

    /**
     * @param knownTokens with {@link EmbeddingFreeze#KNOWN}, the tokens the base knows (those of its
     *     pretraining text), whose embedding and LM-head rows stay frozen; ignored otherwise
     * @param pretrainingText with {@link AnchorImportance#FISHER}, sequences of the base's pretraining
     *     text, on which each weight's importance is measured before the first step; ignored otherwise
     */
    public Trainer(Transformer model, TrainConfig config, TrainListener listener, Set<Integer> knownTokens,
            List<TrainingExample> pretrainingText) {
        this.model = model;
        this.pretrainingText = List.copyOf(pretrainingText);
        if (config.anchorImportance() == AnchorImportance.FISHER && pretrainingText.isEmpty()) {
            throw SettingError.of("anchor_importance", "fisher measures each weight's importance on the base's pretraining"
                    + " text, and none was given");
        }
        this.config = config;
        this.listener = listener;
        if (model.config().attentionDropout() > 0) {
            throw new UserError("the model's config.json sets \"attention_dropout\" " + model.config().attentionDropout()
                    + ", which srg does not implement in training (it trains without attention dropout)");
        }
        model.setPrecision(config.precision());
        this.trainables = new ArrayList<>();
        if (config.mode() == TrainConfig.Mode.LORA) {
            this.adapters = LoraAdapters.create(model, config.lora(), config.seed());
            for (LoraAdapters.Module m : adapters.modules()) {
                trainables.add(new TrainableParameter(m.peftPrefix() + ".lora_A.weight", m.a(), true));
                trainables.add(new TrainableParameter(m.peftPrefix() + ".lora_B.weight", m.b(), true));
            }
        } else {
            this.adapters = null;
            if (config.freezeEmbeddings() == EmbeddingFreeze.KNOWN && knownTokens.isEmpty()) {
                throw SettingError.of("freeze_embeddings", "known needs the tokens the base knows (its pretraining text),"
                        + " and none were given");
            }
            boolean foundTokenRows = false;
            for (Transformer.Parameter p : model.parameters()) {
                boolean tokenRows = p.name().equals(WeightLayout.Slot.EMBED.tensorName(-1))
                        || p.name().equals(WeightLayout.Slot.LM_HEAD.tensorName(-1));
                foundTokenRows |= tokenRows;
                if (tokenRows && config.freezeEmbeddings() == EmbeddingFreeze.ALL) {
                    continue;
                }
                // Decay matrices (projections, embeddings); not norms or biases, as is usual.
                boolean decay = p.array().getShape().dimension() >= 2;
                trainables.add(new TrainableParameter(p.name(), p.array(), decay, config.anchors(p.name())));
                if (tokenRows && config.freezeEmbeddings() == EmbeddingFreeze.KNOWN) {
                    rowFreezes.add(new RowFreeze(p.array(), knownTokens, decay && config.weightDecay() > 0));
                }
            }
            if (config.anchorParams() != null && trainables.stream().noneMatch(TrainableParameter::anchored)) {
                // A pattern that holds nothing is a typo, not a recipe.
                throw SettingError.of("anchor_params", "'" + config.anchorParams() + "' matches none of the model's trainable"
                        + " weights (named as in Hugging Face checkpoints: model.embed_tokens.weight, model.layers.0.mlp.up_proj.weight, ...)");
            }
            if (config.freezeEmbeddings() != EmbeddingFreeze.NONE && !foundTokenRows) {
                // Silently training everything would not be what was asked for.
                throw SettingError.of("freeze_embeddings", "this model has no tensor named "
                        + WeightLayout.Slot.EMBED.tensorName(-1) + " or " + WeightLayout.Slot.LM_HEAD.tensorName(-1) + " to freeze");
            }
        }
        this.knownTokensSha256 = rowFreezes.isEmpty() ? null : ContentHash.ofText(
                knownTokens.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /** The LoRA adapters being trained, or null in full fine-tuning. */
    public LoraAdapters adapters() {
        return adapters;
    }

    public TrainConfig config() {
        return config;
    }

    /**
     * Trains on {@code train}; reports held-out loss on {@code eval} (may be empty) every
     * {@code evalEvery} steps and at the end. Checkpoints and {@code train_log.jsonl} go to
     * {@code runDir}. With early stopping, the run ends once the held-out loss has not improved
     * for that many evaluations, and the model is left holding the weights of the best one.
     *
     * @param resume continue the run begun in {@code runDir} (same settings and data): from its latest
     *     checkpoint, or from step 0 when it stopped before the first
     */
    public TrainResult train(List<TrainingExample> train, List<TrainingExample> eval, Path runDir, boolean resume)
            throws IOException {
        if (train.isEmpty()) {
            throw new UserError("no training examples left to train on");
        }
        if (config.earlyStopping() > 0 && eval.isEmpty()) {
            throw new UserError("early stopping (early_stopping " + config.earlyStopping() + ") needs held-out data to"
                    + " evaluate, and there is none");
        }
        int[] lengths = train.stream().mapToInt(TrainingExample::length).toArray();
        BatchPlan plan = new BatchPlan(lengths, config);
        LrSchedule schedule = LrSchedule.of(config, plan.totalSteps());
        for (TrainableParameter p : trainables) {
            p.array().setRequiresGradient(true);
        }
        stateLock.lock();
        try {
            // Measured on the starting weights, before a checkpoint is restored: a resumed run holds
            // each weight as hard as the run it continues.
            List<NDArray> importance = config.anchorImportance() == AnchorImportance.FISHER
                    ? FisherDiagonal.of(model, trainables, pretrainingText, config.batchSize(), model.manager()) : null;
            optimizer = new AdamW(trainables, model.manager(), config.beta1(), config.beta2(), config.epsilon(),
                    config.weightDecay(), config.anchorDecay(), importance);
            checkpoints = new TrainCheckpoint(runDir);
            runIdentity = identity(train);
            Integer resumedAt = null;
            if (resume && checkpoints.exists()) {
                TrainCheckpoint.State state = checkpoints.restore(optimizer);
                requireSameRun(state.run());
                stepsDone = state.step();
                checkpointedStep = stepsDone;
                tokensDone = state.tokens();
                secondsDone = state.seconds();
                lastLoss = state.loss();
                best = state.best();
                stoppedEarly = best != null && best.evaluationsSince() >= config.earlyStopping();
                resumedAt = stepsDone;
            } else if (resume && checkpoints.begun()) {
                // Stopped before its first checkpoint: the same run starts again from step 0.
                requireSameRun(checkpoints.begunRun());
                resumedAt = 0;
            } else if (resume) {
                throw new UserError(runDir + ": no run to resume (no " + checkpoints.dir().getFileName() + " folder)");
            } else if (checkpoints.begun()) {
                throw new UserError(runDir + " holds a run begun earlier: resume it (with the same settings and data),"
                        + " or train into an empty folder");
            } else {
                checkpoints.begin(runIdentity);
            }
            try (TrainLog log = TrainLog.open(runDir, resumedAt)) {
                return loop(train, eval, plan, schedule, log);
            }
        } finally {
            if (stateLock.isHeldByCurrentThread()) {
                stateLock.unlock();
            }
        }
    }

    /** Runs the steps; entered and left holding {@code stateLock}, released while computing. */
    private TrainResult loop(List<TrainingExample> train, List<TrainingExample> eval, BatchPlan plan,
            LrSchedule schedule, TrainLog log) throws IOException {
        loopThread = Thread.currentThread();
        try {
            return steps(train, eval, plan, schedule, log);
        } finally {
            loopThread = null;
        }
    }

    private TrainResult steps(List<TrainingExample> train, List<TrainingExample> eval, BatchPlan plan,
            LrSchedule schedule, TrainLog log) throws IOException {
        listener.started(stepsDone, plan.totalSteps());
        int total = plan.totalSteps();
        while (stepsDone < total && !stopRequested && !stoppedEarly) {
            int step = stepsDone;
            stateLock.unlock();
            long started = System.nanoTime();
            List<List<TrainingExample>> micro = new ArrayList<>();
            int stepTargets = 0;
            long stepTokens = 0;
            for (int[] indices : plan.microBatches(step)) {
                List<TrainingExample> batch = new ArrayList<>();
                for (int i : indices) {
                    batch.add(train.get(i));
                    stepTargets += train.get(i).targetCount();
                    stepTokens += train.get(i).length();
                }
                micro.add(batch);
            }
            double lossSum = 0;
            if (adapters != null) {
                adapters.setTraining(true);
            }
            for (int k = 0; k < micro.size(); k++) {
                if (adapters != null && config.lora().dropout() > 0) {
                    // DJL takes an int seed; libtorch's generator is reseeded per micro-batch.
                    long seed = TrainingSeeds.mix(config.seed(), DROPOUT_SEEDS, (long) step * 4096 + k);
                    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
                }
                MicroBatch batch = MicroBatch.of(micro.get(k), 0);
                try (NDManager scope = model.manager().newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray sum = TokenLoss.sum(model, adapters, batch, scope);
                    // The divisor is a tensor of this scope, alive through backward (see Transformer#scalar).
                    collector.backward(sum.div(scope.create((float) stepTargets)));
                    float value = sum.getFloat();
                    if (!Float.isFinite(value)) {
                        optimizer.zeroGradients();
                        throw diverged("the loss is " + value, step, total);
                    }
                    lossSum += value;
                }
            }
            if (adapters != null) {
                adapters.setTraining(false);
            }
            double loss = lossSum / stepTargets;
            double lr = schedule.at(step);
            stateLock.lock();
            if (stopRequested) {
                // A checkpoint of the previous step may already be on disk (Ctrl-C): leave the
                // state as it describes.
                optimizer.zeroGradients();
                break;
            }
            for (RowFreeze f : rowFreezes) {
                f.maskGradient();
            }
            float[] norms = optimizer.gradientNorms();
            double gradNorm = AdamW.globalNorm(norms);
            if (!Double.isFinite(gradNorm)) {
                optimizer.zeroGradients();
                String first = "";
                for (int i = 0; i < norms.length; i++) {
                    if (!Float.isFinite(norms[i])) {
                        first = " (first: " + trainables.get(i).name() + ", " + norms[i] + ")";
                        break;
                    }
                }
                throw diverged("the gradient norm is " + gradNorm + first, step, total);
            }
            double scale = config.maxGradNorm() > 0 && gradNorm > config.maxGradNorm()
                    ? config.maxGradNorm() / (gradNorm + 1e-6) : 1.0;
            optimizer.update(lr, scale, step + 1);
            for (RowFreeze f : rowFreezes) {
                f.restore();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            stepsDone = step + 1;
            tokensDone += stepTokens;
            secondsDone += seconds;
            lastLoss = loss;
            TrainListener.StepMetrics metrics = new TrainListener.StepMetrics(stepsDone, total, plan.epochOf(step) + 1,
                    loss, lr, gradNorm, stepTokens, stepTokens / seconds, secondsDone);
            log.write(stepLine(metrics));
            listener.stepped(metrics);
            boolean last = stepsDone == total;
            if (!eval.isEmpty() && (last || config.evalEvery() > 0 && stepsDone % config.evalEvery() == 0)) {
                double evalLoss = evaluate(eval);
                ObjectNode line = TrainLog.line();
                line.put("step", stepsDone);
                line.put("eval_loss", evalLoss);
                if (config.earlyStopping() > 0) {
                    track(evalLoss, line);
                }
                log.write(line);
                listener.evaluated(stepsDone, evalLoss);
            }
            if (!last && config.checkpointEvery() > 0 && stepsDone % config.checkpointEvery() == 0) {
                saveCheckpoint();
            }
        }
        boolean interrupted = stepsDone < total && !stoppedEarly;
        if (interrupted && checkpointedStep < stepsDone) {
            saveCheckpoint();
        }
        int kept = stepsDone;
        double evalLoss = Double.NaN;
        if (!interrupted && best != null) {
            kept = best.step();
            if (kept != stepsDone) {
                checkpoints.restoreBest(kept, trainables);
            }
            evalLoss = best.evalLoss();
        } else if (!eval.isEmpty()) {
            evalLoss = evaluate(eval);
        }
        return new TrainResult(stepsDone, total, lastLoss, evalLoss, kept, stoppedEarly, tokensDone, secondsDone, interrupted);
    }

    /**
     * Early stopping's bookkeeping after a held-out evaluation: keeps the weights of a new best
     * (on disk, so that a resumed run has them) and ends the run after {@code early_stopping}
     * evaluations in a row without one.
     */
    private void track(double evalLoss, ObjectNode line) throws IOException {
        best = best == null ? new TrainCheckpoint.Best(stepsDone, evalLoss, 0) : best.after(stepsDone, evalLoss);
        if (best.step() == stepsDone) {
            checkpoints.saveBest(stepsDone, trainables);
        }
        stoppedEarly = best.evaluationsSince() >= config.earlyStopping();
        line.put("best_step", best.step());
        line.put("best_eval_loss", best.evalLoss());
        if (stoppedEarly) {
            line.put("early_stop", true);
        }
    }

    private TrainingDiverged diverged(String what, int step, int total) {
        String kept = checkpointedStep > 0
                ? "the last good checkpoint (step " + checkpointedStep + ") is kept in " + checkpoints.dir()
                : "no checkpoint had been written yet (see the checkpoint_every setting)";
        return new TrainingDiverged(String.format(Locale.ROOT,
                "training diverged: %s at step %d of %d, before its update; %s. Lower the learning rate (lr, now %g)"
                        + " or raise the warmup (warmup), and look for broken examples.",
                what, step + 1, total, kept, config.learningRate()));
    }

    /** Mean loss per target token over {@code examples}, without gradients or dropout. */
    public double evaluate(List<TrainingExample> examples) {
        if (adapters != null) {
            adapters.setTraining(false);
        }
        List<TrainingExample> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparingInt(TrainingExample::length));
        double sum = 0;
        long targets = 0;
        for (int from = 0; from < sorted.size(); from += config.batchSize()) {
            List<TrainingExample> chunk = sorted.subList(from, Math.min(sorted.size(), from + config.batchSize()));
            MicroBatch batch = MicroBatch.of(chunk, 0);
            if (batch.targetCount() == 0) {
                continue;
            }
            try (NDManager scope = model.manager().newSubManager()) {
                sum += TokenLoss.sum(model, adapters, batch, scope).getFloat();
            }
            targets += batch.targetCount();
        }
        return targets == 0 ? Double.NaN : sum / targets;
    }

    /**
     * Asks the run to stop and saves a checkpoint of the last finished step, from any thread
     * (a shutdown hook on Ctrl-C), also after {@link #train} returned and until {@link #close}, so
     * that an exit while the caller writes its outputs loses nothing. Returns the checkpoint
     * folder, or null when there was nothing to save.
     */
    public Path stopAndCheckpoint() throws IOException {
        stopRequested = true;
        Path saved;
        stateLock.lock();
        try {
            if (optimizer == null || closed || stepsDone == 0) {
                saved = null;
            } else {
                saved = checkpointedStep == stepsDone ? checkpoints.dir() : saveCheckpoint();
            }
        } finally {
            stateLock.unlock();
        }
        awaitLoopExit();
        return saved;
    }

    /**
     * Waits (boundedly) until the step loop has seen the stop and left, so that a JVM exiting after
     * the hook does not tear libtorch down under a backward pass. The loop's own thread (a
     * listener asking to stop) does not wait for itself. It polls the field rather than joining the
     * thread, because that thread (the caller of train) lives on after the loop.
     */
    private void awaitLoopExit() {
        long deadline = System.nanoTime() + STEP_IN_FLIGHT_WAIT_MS * 1_000_000L;
        Thread running;
        while ((running = loopThread) != null && running != Thread.currentThread() && System.nanoTime() < deadline) {
            try {
                running.join(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether a thread is in the step loop (for tests). */
    boolean inStepLoop() {
        return loopThread != null;
    }

    /** Asks the run to stop after the current step (it then saves a checkpoint). */
    public void requestStop() {
        stopRequested = true;
    }

    private Path saveCheckpoint() throws IOException {
        Path folder = checkpoints.save(new TrainCheckpoint.State(stepsDone, tokensDone, secondsDone, lastLoss, best,
                runIdentity), optimizer);
        checkpointedStep = stepsDone;
        listener.checkpointed(stepsDone, folder);
        return folder;
    }

    private static ObjectNode stepLine(TrainListener.StepMetrics m) {
        ObjectNode line = TrainLog.line();
        line.put("step", m.step());
        line.put("epoch", m.epoch());
        line.put("loss", m.loss());
        line.put("lr", m.lr());
        line.put("grad_norm", m.gradNorm());
        line.put("tokens", m.tokens());
        line.put("tokens_per_s", m.tokensPerSecond());
        line.put("elapsed_s", m.elapsedSeconds());
        return line;
    }

    /** What a resumed run must share with the checkpointed one: settings, data, model shape. */
    private ObjectNode identity(List<TrainingExample> train) {
        ObjectNode id = config.resultDefiningJson();
        id.put("data_sha256", fingerprint(train));
        id.put("model_config_sha256", ContentHash.ofText(model.config().raw().toString()));
        if (knownTokensSha256 != null) {
            id.put("known_tokens_sha256", knownTokensSha256);
        }
        if (config.anchorImportance() == AnchorImportance.FISHER) {
            id.put("importance_text_sha256", fingerprint(pretrainingText));
        }
        return id;
    }

    private void requireSameRun(ObjectNode saved) {
        List<String> differences = new ArrayList<>();
        // Both ways: a setting written only when it differs from its default (compute_dtype) is
        // absent on one side when a run is resumed with the default.
        Set<String> names = new LinkedHashSet<>();
        runIdentity.fieldNames().forEachRemaining(names::add);
        saved.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode now = runIdentity.get(name);
            JsonNode then = saved.get(name);
            // Compared as text: a long written to JSON reads back as an int node.
            if (then == null || now == null || !then.asText().equals(now.asText())) {
                differences.add(name + " " + (then == null ? "(absent)" : then.asText()) + " -> "
                        + (now == null ? "(absent)" : now.asText()));
            }
        }
        if (!differences.isEmpty()) {
            throw new UserError(checkpoints.dir().getParent() + " holds a run with other settings or data, kept as it is: "
                    + String.join("; ", differences) + " (resume it with the same settings and data, or train into another folder)");
        }
    }

    private static String fingerprint(List<TrainingExample> examples) {
        MessageDigest digest = ContentHash.newDigest();
        for (TrainingExample e : examples) {
            ByteBuffer buf = ByteBuffer.allocate(e.length() * 9 + 4);
            buf.putInt(e.length());
            for (int t = 0; t < e.length(); t++) {
                buf.putLong(e.tokens()[t]).put((byte) (e.targets()[t] ? 1 : 0));
            }
            digest.update(buf.array());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Releases the optimizer state and the adapters (the model is the caller's). */
    @Override
    public void close() {
        stateLock.lock();
        try {
            closed = true;
            if (optimizer != null) {
                optimizer.close();
            }
            if (adapters != null) {
                adapters.close();
            }
            rowFreezes.forEach(RowFreeze::close);
        } finally {
            stateLock.unlock();
        }
    }
}
