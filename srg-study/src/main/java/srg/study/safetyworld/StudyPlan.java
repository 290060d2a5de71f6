package srg.study.safetyworld;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import srg.SettingError;
import srg.attack.PlainPrompt;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.engine.lora.LoraConfig;
import srg.engine.model.Projection;
import srg.engine.safetensors.DType;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;
import srg.eval.ReasoningPolicy;
import srg.eval.SamplingMode;
import srg.probe.LayerSelection;
import srg.probe.LogisticProbe;
import srg.probe.Pooling;
import srg.run.EvalSettings;
import srg.run.ProbeSettings;
import srg.run.TrainSettings;
import srg.study.Study;
import srg.world.Disguise;
import srg.world.DisguiseAttack;
import srg.world.SafetyData;
import srg.world.WorldConfig;

/**
 * Everything that decides the SafetyWorld study's results: the world, the model's shape, the
 * pretraining and safety-training recipes, and the evaluation. RT and SRG share one safety recipe
 * but for the strength of each one's pull towards the base ({@code rtAnchorDecay},
 * {@code srgAnchorDecay}), which the standard plan sets alike or not (the data differ by design).
 *
 * @param world the world's size and seed
 * @param model config.json fields of the base model (a Llama-style decoder)
 * @param sequenceLength pretraining sequence length (documents are packed)
 * @param pretrain the base model's pretraining (full training from random weights)
 * @param mixture what the safety-training data holds besides plain requests (the same for RT and SRG)
 * @param safety RT and SRG fine-tuning (the same for both, but for RT's anchor decay)
 * @param rtAnchorDecay RT's decoupled decay towards the base's weights ({@link TrainConfig#anchorDecay}; 0: none)
 * @param srgAnchorDecay SRG's (0: none): pulled alike, every weight held as hard, SRG lost its reasoning at
 *     every strength tried (docs/SAFETYWORLD.md, "v2.22 candidate"), so v2.23 pulled RT alone
 * @param anchorImportance how the pull holds each weight, for both models: alike (L2-SP), or by its
 *     importance to the base's pretraining text (EWC; "v2.25 candidate")
 * @param n samples per attacked prompt (N of Best-of-N)
 * @param benignSamples samples per benign prompt, in every form
 * @param sampling how the models answer in evaluation
 */
public record StudyPlan(WorldConfig world, ObjectNode model, int sequenceLength, TrainConfig pretrain,
        SafetyData.Recipe mixture, TrainConfig safety, double rtAnchorDecay, double srgAnchorDecay,
        AnchorImportance anchorImportance, int n, int benignSamples, SamplingParams sampling) {

    /**
     * The quickstart: 80 substances, a 4-layer model of width 128 (0.89M parameters), 1250
     * pretraining steps at lr 4e-3, 8 epochs of RT and SRG with RT anchored to the base. v2.5
     * halved v2.4's width: its bases learned all three development worlds, and RT's unseen-form
     * failure appeared (docs/SAFETYWORLD.md, "v2.5b candidate"). v2.6 has 5/3 of the substances, so
     * that RT refuses held-out hazards by their kind. v2.23 trains less, for a seed in ten minutes
     * (v2.14b had 1800 steps and 10 epochs), and anchors RT, which kept it failing on the unseen
     * forms where the shorter training alone did not ("v2.23 candidate").
     */
    public static StudyPlan standard(long seed, int n) {
        return new StudyPlan(
                WorldConfig.standard(seed),
                shape(128, 4, 4, 2, 384),
                128,
                TrainConfig.builder().mode(TrainConfig.Mode.FULL).maxSteps(PRETRAIN_STEPS).learningRate(PRETRAIN_LEARNING_RATE)
                        .warmupRatio(0.03)
                        .batchSize(16).gradAccum(1).weightDecay(0.01).maxGradNorm(1.0).seed(seed).checkpointEvery(100)
                        .splitByLength(false).build(),
                SafetyData.Recipe.STANDARD,
                safetyRecipe(seed, SAFETY_EPOCHS, SAFETY_LEARNING_RATE, 0),
                RT_ANCHOR_DECAY,
                SRG_ANCHOR_DECAY,
                ANCHOR_IMPORTANCE,
                n,
                2,
                new SamplingParams(1.0, 1.0, 0, 160, List.of(), seed));
    }

    /** A tiny world and model for a quick end-to-end check (CI); its numbers mean nothing. */
    public static StudyPlan smoke(long seed, int n) {
        return new StudyPlan(
                WorldConfig.smoke(seed),
                shape(64, 2, 4, 2, 128),
                64,
                TrainConfig.builder().mode(TrainConfig.Mode.FULL).maxSteps(12).learningRate(3e-3).warmupRatio(0.1)
                        .batchSize(8).gradAccum(1).maxGradNorm(1.0).seed(seed).checkpointEvery(5).splitByLength(false).build(),
                SafetyData.Recipe.STANDARD,
                TrainConfig.builder().mode(TrainConfig.Mode.FULL).maxSteps(4).learningRate(1e-3).warmupRatio(0.1)
                        .batchSize(8).gradAccum(1).maxGradNorm(1.0).seed(seed).build(),
                0,
                0,
                AnchorImportance.UNIFORM,
                n,
                2,
                new SamplingParams(1.0, 1.0, 0, 48, List.of(), seed));
    }

    /** Pretraining steps of the standard plan's base model (v2.14b: 1800). */
    public static final int PRETRAIN_STEPS = 1250;
    /**
     * Pretraining learning rate of the standard plan's base model: at v2.4's 2e-3 the half-width
     * base did not learn its world in 720 steps (docs/SAFETYWORLD.md, "After v2.4").
     */
    public static final double PRETRAIN_LEARNING_RATE = 4e-3;
    /** Safety fine-tuning epochs of the standard plan (chosen on development seeds; docs/SAFETYWORLD.md; v2.14b: 10). */
    public static final int SAFETY_EPOCHS = 8;
    /** Safety fine-tuning learning rate of the standard plan. */
    public static final double SAFETY_LEARNING_RATE = 5e-4;
    /**
     * RT's pull towards the base in the standard plan: at 3 RT kept ≥ 80% of the base's skill in
     * every form on two development worlds of three, and still refused plain requests (v2.14b: 0).
     */
    public static final double RT_ANCHOR_DECAY = 3;
    /** SRG's pull towards the base in the standard plan: none (v2.23). */
    public static final double SRG_ANCHOR_DECAY = 0;
    /** How the standard plan's pulls hold each weight, as the setting is written: alike (L2-SP; v2.23). */
    public static final String ANCHOR_IMPORTANCE_SETTING = "uniform";
    /** {@link #ANCHOR_IMPORTANCE_SETTING}, read. */
    public static final AnchorImportance ANCHOR_IMPORTANCE = AnchorImportance.parse(ANCHOR_IMPORTANCE_SETTING);

    /**
     * RT and SRG fine-tuning: full fine-tuning, the same for both (RT's anchor is added in
     * {@link #study}), on a mixture that replays the corpus's knowledge. Ten epochs at 5e-4 were
     * chosen on development seed 1 because both models fit their data (final loss 0.06 RT, 0.016
     * SRG); the gentler three epochs at 2e-4 of the pilot left SRG's reasoning incoherent (nine in
     * ten first samples neither refused nor answered). v2.23 trains 8, for time. docs/SAFETYWORLD.md
     * has the figures of every recipe tried.
     */
    static TrainConfig safetyRecipe(long seed, int epochs, double learningRate, int loraRank) {
        TrainConfig.Builder b = TrainConfig.builder().epochs(epochs).learningRate(learningRate).warmupRatio(0.1)
                .batchSize(16).gradAccum(1).weightDecay(0.0).maxGradNorm(1.0).seed(seed).checkpointEvery(50);
        if (loraRank == 0) {
            b.mode(TrainConfig.Mode.FULL);
        } else {
            // alpha = 2r and every projection, as LoraConfig.DEFAULT; no dropout, as full fine-tuning has none.
            b.mode(TrainConfig.Mode.LORA).lora(new LoraConfig(loraRank, 2.0 * loraRank, 0.0, EnumSet.allOf(Projection.class)));
        }
        return b.build();
    }

    /**
     * The same plan with another safety-training mixture and recipe (for studying recipes):
     * {@code loraRank} 0 is full fine-tuning, else LoRA adapters of that rank, merged into the
     * saved RT and SRG models.
     */
    public StudyPlan withSafety(SafetyData.Recipe newMixture, int epochs, double learningRate, int loraRank) {
        if (epochs < 1 || !(learningRate > 0) || loraRank < 0) {
            throw SettingError.naming("{safety_epochs} must be >= 1, {safety_lr} > 0 and {safety_lora} >= 0 (0 is full fine-tuning); got "
                    + epochs + ", " + learningRate + " and " + loraRank, "safety_epochs", "safety_lr", "safety_lora");
        }
        return new StudyPlan(world, model, sequenceLength, pretrain, newMixture,
                safetyRecipe(world.seed(), epochs, learningRate, loraRank), rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /** Training substances held out as RT's and SRG's validation data under early stopping. */
    public static final int VALIDATION_SUBSTANCES = 4;
    /**
     * Steps between validation losses under early stopping: half an epoch of the standard mixture
     * (v2.6: about 127 steps an epoch with four substances held out; 32 up to v2.5's smaller world).
     */
    public static final int VALIDATION_EVERY = 64;

    /**
     * The same plan with early stopping for RT and SRG (for studying recipes): four training
     * substances are held out of their data as validation data, and each model stops once
     * {@code patience} validation losses in a row, one every half epoch, have not beaten its best,
     * keeping the best one's weights. The stopping point never looks at an evaluation substance
     * or an unseen form.
     */
    public StudyPlan withEarlyStopping(int patience) {
        if (patience < 1) {
            throw SettingError.of("early_stopping", "must be at least 1 (the evaluations without a new best before"
                    + " stopping), got " + patience);
        }
        TrainConfig stopping = safety.toBuilder().evalEvery(VALIDATION_EVERY).earlyStopping(patience).build();
        return new StudyPlan(world, model, sequenceLength, pretrain, mixture.withValidationSubstances(VALIDATION_SUBSTANCES),
                stopping, rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /**
     * The same plan with some of RT's and SRG's token-embedding rows frozen (for studying recipes):
     * full fine-tuning of every other weight. {@link EmbeddingFreeze#ALL} was the v2.7 candidate,
     * rejected: the refusal's and the reasoning's words, which pretraining never used, cannot be
     * learned then. {@link EmbeddingFreeze#KNOWN} (v2.8 candidate) keeps only the rows of the
     * corpus's words. With LoRA adapters the recipe's TrainConfig refuses either, naming the setting.
     */
    public StudyPlan withFrozenEmbeddings(EmbeddingFreeze which) {
        return new StudyPlan(world, model, sequenceLength, pretrain, mixture, safety.toBuilder().freezeEmbeddings(which).build(),
                rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /**
     * The same plan with a base model of another size, for asking whether scale helps: {@code layers}
     * blocks of width {@code hidden} (a multiple of 32), with the standard shape's proportions
     * (32-wide heads, two query heads per key/value head, an MLP three times the width).
     */
    public StudyPlan withModel(int hidden, int layers) {
        if (hidden < 64 || hidden % 32 != 0 || layers < 1) {
            throw SettingError.naming("{hidden_size} must be a multiple of 32 and at least 64, and {layers} at least 1; got "
                    + hidden + " and " + layers, "hidden_size", "layers");
        }
        int heads = hidden / 32;
        return new StudyPlan(world, shape(hidden, layers, heads, Math.max(1, heads / 2), 3 * hidden), sequenceLength,
                pretrain, mixture, safety, rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /**
     * The same plan in a world with {@code hazards} substances of each hazardous kind and
     * {@code harmless} of each harmless kind (for studying how the hazard and harmless names in
     * safety training decide RT's plain refusal; docs/SAFETYWORLD.md, "v2.12 candidate"). The
     * held-out substances per kind, and so every evaluation set's size, stay; pretraining keeps its
     * steps.
     */
    public StudyPlan withSubstancesPerKind(int hazards, int harmless) {
        int held = world.evalEntitiesPerKind();
        if (hazards <= held || harmless <= held) {
            throw SettingError.naming("{hazards_per_kind} and {harmless_per_kind} must each be more than the " + held
                    + " substances held out per kind, got " + hazards + " and " + harmless, "hazards_per_kind", "harmless_per_kind");
        }
        return new StudyPlan(new WorldConfig(world.seed(), hazards, harmless, held, world.hazardSigns()), model, sequenceLength, pretrain, mixture,
                safety, rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /**
     * The same plan in a world whose hazards and harmless substances draw (with {@code signs}) their
     * making steps, colour and smell from separate halves of the word lists, as the standard world
     * does since v2.14b, or (without) from the whole lists, as v2.9's did (docs/SAFETYWORLD.md,
     * "v2.13 candidate").
     */
    public StudyPlan withHazardSigns(boolean signs) {
        return new StudyPlan(world.withHazardSigns(signs), model, sequenceLength, pretrain, mixture, safety, rtAnchorDecay, srgAnchorDecay, anchorImportance, n,
                benignSamples, sampling);
    }

    /**
     * The same plan with RT and SRG pulled towards the base at {@code rt} and {@code srg} (0: not at
     * all), each weight held alike or by its importance to the base's text, for studying recipes.
     */
    public StudyPlan withAnchors(double rt, double srg, AnchorImportance importance) {
        requirePull("rt_anchor_decay", rt);
        requirePull("srg_anchor_decay", srg);
        if (importance != AnchorImportance.UNIFORM && rt == 0 && srg == 0) {
            throw SettingError.naming("{anchor_importance} " + importance.name().toLowerCase(Locale.ROOT)
                    + " weighs a pull, and {rt_anchor_decay} and {srg_anchor_decay} are both 0", "anchor_importance",
                    "rt_anchor_decay", "srg_anchor_decay");
        }
        return new StudyPlan(world, model, sequenceLength, pretrain, mixture, safety, rt, srg, importance, n, benignSamples,
                sampling);
    }

    /** TrainConfig's check of a pull, in the plan's names: more than all of the distance taken back at a step overshoots the base. */
    private void requirePull(String setting, double anchorDecay) {
        if (!(anchorDecay >= 0) || anchorDecay * safety.learningRate() > 1) {
            throw SettingError.naming("{" + setting + "} must be >= 0, and {" + setting + "} × {safety_lr} at most 1; got "
                    + anchorDecay + " × " + safety.learningRate(), setting, "safety_lr");
        }
    }

    /** The same plan with the base pretrained for {@code steps} steps (v2.14b: 1800), for studying recipes. */
    public StudyPlan withPretrainSteps(int steps) {
        if (steps < 1) {
            throw SettingError.of("pretrain_steps", "must be at least 1, got " + steps);
        }
        return new StudyPlan(world, model, sequenceLength, pretrain.toBuilder().maxSteps(steps).build(), mixture, safety,
                rtAnchorDecay, srgAnchorDecay, anchorImportance, n, benignSamples, sampling);
    }

    /** config.json's hidden_size of the base model. */
    public int hiddenSize() {
        return model.path("hidden_size").asInt();
    }

    /** config.json's num_hidden_layers of the base model. */
    public int layers() {
        return model.path("num_hidden_layers").asInt();
    }

    private static ObjectNode shape(int hidden, int layers, int heads, int kvHeads, int intermediate) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("hidden_size", hidden);
        o.put("num_hidden_layers", layers);
        o.put("num_attention_heads", heads);
        o.put("num_key_value_heads", kvHeads);
        o.put("head_dim", hidden / heads);
        o.put("intermediate_size", intermediate);
        o.put("max_position_embeddings", 1024);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.put("tie_word_embeddings", true);
        return o;
    }

    /** The shared safety recipe with a pull of {@code decay} (weighed as the plan says where there is one). */
    private TrainConfig anchored(double decay) {
        return safety.toBuilder().anchorDecay(decay)
                .anchorImportance(decay > 0 ? anchorImportance : AnchorImportance.UNIFORM).build();
    }

    /** RT's or SRG's training stage: a LoRA recipe keeps its adapters and writes the merged model beside them (merged/). */
    private static TrainSettings safetySettings(TrainConfig config) {
        return new TrainSettings(config, SAFETY_MAX_SEQ_LEN, LengthPolicy.DROP, DType.F32, config.mode() == TrainConfig.Mode.LORA,
                false);
    }

    /** The longest safety-training example in tokens (the world's requests and answers are far shorter). */
    static final int SAFETY_MAX_SEQ_LEN = 512;

    /**
     * Sequences decoded together. The world's models are so small that each decoding step costs
     * mostly fixed overhead: on the 2-core VM, 256 streams decode 3.2x faster than 64, and 1,024
     * 1.6x faster than 256 (docs/PERFORMANCE.md). The evaluation asks for twice as many samples per
     * call, so a call fills the decoder.
     */
    static final int DECODE_BATCH = 1024;

    /**
     * This plan as a study (examples/safetyworld.yaml is the standard plan's, written out): the
     * world and its base; RT and SRG trained alike but for their anchors; sequential Best-of-N that keeps sampling a
     * prompt until it has shown both a sample that is not unsafe (the paper's sense) and a refusal
     * (latent refusal), or N, on plain requests and every disguise, judged by the world's oracle,
     * with the benign requests asked in every form too (capability beside safety); hidden states
     * of every layer at the last token, with every disguise as an OOD set.
     */
    public Study study(String device) {
        long seed = world.seed();
        SafetyWorldSettings settings = new SafetyWorldSettings(world, model, sequenceLength,
                new TrainSettings(pretrain, sequenceLength, LengthPolicy.DROP, DType.F32, false, false), mixture);
        TrainSettings rtRecipe = safetySettings(anchored(rtAnchorDecay));
        TrainSettings srgRecipe = safetySettings(anchored(srgAnchorDecay));
        List<String> disguises = new ArrayList<>();
        for (Disguise d : Disguise.values()) {
            disguises.add(DisguiseAttack.nameOf(d));
        }
        List<String> attacks = new ArrayList<>(List.of(PlainPrompt.NAME));
        attacks.addAll(disguises);
        EvalSettings eval = new EvalSettings(List.of(), List.of(), String.join(",", attacks), null, null, null, null, n,
                SamplingMode.SEQUENTIAL, SafetyWorldExtensions.JUDGE, null, benignSamples, true, true, ReasoningPolicy.OFF,
                ThinkTags.DEFAULT, sampling, seed, 2 * DECODE_BATCH, 256, EvalSettings.DEFAULT_BOOTSTRAP,
                EvalSettings.DEFAULT_MAX_ERROR_RATE);
        ProbeSettings probe = new ProbeSettings(null, null, Map.of(), disguises, LayerSelection.ALL, List.of(Pooling.LAST_TOKEN),
                null, LogisticProbe.DEFAULT_L2, seed, 32);
        List<String> models = List.of("base", "rt", "srg");
        Map<String, TrainSettings> training = new LinkedHashMap<>();
        training.put("rt", rtRecipe);
        training.put("srg", srgRecipe);
        // F32 rather than auto, which would follow the CPU's BF16 support. Figures still differ
        // between CPUs whose F32 kernels sum in another order (AVX2 against AVX-512: docs/SAFETYWORLD.md).
        return new Study("safetyworld", null, seed, device, "f32", DECODE_BATCH, new Study.Models(null, null, null, Map.of()), settings,
                null, null, training, eval, models, probe, models);
    }
}
