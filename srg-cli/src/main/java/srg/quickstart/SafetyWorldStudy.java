package srg.quickstart;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.PlainPrompt;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;
import srg.cli.ProgressBars;
import srg.cli.TrainProgressBar;
import srg.data.Behavior;
import srg.engine.LocalModel;
import srg.engine.generate.Generator;
import srg.engine.generate.LocalChatModel;
import srg.engine.hidden.HiddenStateExtractor;
import srg.engine.model.ModelFamily;
import srg.engine.model.ModelWriter;
import srg.engine.model.RandomCheckpoint;
import srg.engine.safetensors.DType;
import srg.engine.train.CorpusPacker;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;
import srg.engine.train.TrainResult;
import srg.engine.train.Trainer;
import srg.engine.train.TrainingData;
import srg.engine.train.TrainingExample;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalResults;
import srg.eval.ResultsJson;
import srg.eval.SamplingMode;
import srg.io.AtomicFiles;
import srg.io.ContentHash;
import srg.io.FileTrees;
import srg.probe.HiddenStateExtraction;
import srg.probe.HiddenStateStore;
import srg.probe.LayerSelection;
import srg.probe.Pooling;
import srg.probe.ProbeAnalysis;
import srg.probe.ProbeJson;
import srg.probe.ProbePrompt;
import srg.probe.ProbeResults;
import srg.probe.ProbeSet;
import srg.report.RunReport;
import srg.store.RunStore;
import srg.world.Disguise;
import srg.world.DisguiseAttack;
import srg.world.PretrainingCorpus;
import srg.world.SafetyData;
import srg.world.World;
import srg.world.WorldGenerator;
import srg.world.WorldJudge;
import srg.world.WorldTokenizer;

/**
 * The SafetyWorld study end to end, in stages whose outputs are files in the run folder, each
 * reused when its inputs have not changed:
 *
 * <ol>
 *   <li>world: the generated world, its corpus, tokenizer, safety data and evaluation sets
 *       ({@code world/});
 *   <li>base model: a random Llama-style model pretrained on the corpus ({@code models/base});
 *   <li>RT and SRG models: the base fine-tuned on the refusal and the reasoning data;
 *   <li>Best-of-N evaluation of all three with {@code srg eval}'s machinery ({@code run.db},
 *       {@code results.json});
 *   <li>representation analysis with {@code srg probe}'s machinery ({@code probe.json});
 *   <li>the report ({@code report.html}) and a summary ({@code safetyworld.json}).
 * </ol>
 */
public final class SafetyWorldStudy {

    /**
     * Sequences decoded together. The world's models are so small that each decoding step costs
     * mostly fixed overhead: on the 2-core VM, 256 streams decode 3.2x faster than 64 (docs/PERFORMANCE.md).
     */
    static final int SAMPLING_BATCH = 1024;

    /** Bumped when the pipeline changes in a way that invalidates cached models. */
    private static final String PIPELINE_VERSION = "safetyworld-1";
    private static final String FINGERPRINT = "study-fingerprint.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StudyPlan plan;
    private final Path out;
    private final boolean fresh;
    private final PrintStream log;
    private final Device device;
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    public SafetyWorldStudy(StudyPlan plan, Path out, boolean fresh, PrintStream log, Device device) {
        this.plan = plan;
        this.out = out;
        this.fresh = fresh;
        this.log = log;
        this.device = device;
    }

    /** The study's figures, for the table printed at the end and for tests. */
    public record Outcome(JsonNode results, ProbeResults probe, StudySummary summary) {}

    public Outcome run() throws IOException {
        long start = System.nanoTime();
        World world = WorldGenerator.generate(plan.world());
        PretrainingCorpus corpus = PretrainingCorpus.build(world);
        WorldFiles files = timed("world", () -> WorldFiles.write(world, corpus, plan.mixture(), out.resolve("world")));
        log.printf("world: %d substances (%d held out for evaluation), corpus of %d documents, vocabulary %d%n",
                world.entities().size(), world.evalEntities().size(), corpus.documents().size(), files.vocabularySize());

        Path base = timed("pretrain", () -> ensureBase(files, corpus));
        List<String> replay = SafetyData.replay(corpus, plan.mixture());
        Path rt = timed("train rt", () -> ensureSafetyModel("rt", base, SafetyData.refusalTraining(world, plan.mixture()), replay));
        Path srg = timed("train srg", () -> ensureSafetyModel("srg", base, SafetyData.reasoningTraining(world, plan.mixture()), replay));
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("base", base);
        models.put("rt", rt);
        models.put("srg", srg);

        String evalFingerprint = fingerprint("eval", plan.toJson().toString(), fingerprintOf(base), fingerprintOf(rt),
                fingerprintOf(srg));
        resetEvaluationIfStale(evalFingerprint);
        DecodeCheck decode = timed("decode check", () -> DecodeCheck.run(base, corpus, device, log));
        JsonNode eval = timed("evaluate", () -> evaluate(world, models));
        Map<String, ReasoningFigures> reasoning = timed("reasoning audit", () -> ReasoningFigures.audit(world, plan, out, "srg"));
        ProbeResults probe = timed("probe", () -> probe(world, models));
        AtomicFiles.writeString(out.resolve(FINGERPRINT), evalFingerprint);

        seconds.put("total", (System.nanoTime() - start) / 1e9);
        StudySummary summary = StudySummary.of(plan, world, decode, eval, reasoning, probe, seconds);
        summary.write(out.resolve(StudySummary.FILE));
        RunReport.write(RunReport.folders(List.of(out)), out.resolve(RunReport.FILE_NAME));
        return new Outcome(eval, probe, summary);
    }

    // ---- models ------------------------------------------------------------------------------

    /** The pretrained base model: reused when its fingerprint matches, else trained (resumably). */
    private Path ensureBase(WorldFiles files, PretrainingCorpus corpus) throws IOException {
        Path dir = out.resolve("models/base");
        String fp = fingerprint("base", PIPELINE_VERSION, plan.baseJson().toString(), files.corpusHash());
        if (!fresh && fp.equals(fingerprintOf(dir))) {
            log.println("base model: reusing " + dir + " (same world and recipe; --fresh rebuilds it)");
            return dir;
        }
        Path init = out.resolve("models/base.init");
        Path runDir = out.resolve("models/base.train");
        boolean resume = !fresh && fp.equals(fingerprintOf(runDir)) && Files.isDirectory(runDir.resolve("checkpoints"));
        if (!resume) {
            FileTrees.deleteTree(runDir);
            FileTrees.deleteTree(init);
        }
        FileTrees.deleteTree(dir);
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.LLAMA, RandomCheckpoint.Preset.TINY,
                files.tokenizerDir(), plan.world().seed()).withOverrides(plan.model()), init);
        Files.createDirectories(runDir);
        AtomicFiles.writeString(runDir.resolve(FINGERPRINT), fp);
        try (LocalModel model = LocalModel.load(init, device)) {
            var examples = CorpusPacker.pack(corpus.documents(), model.tokenizer(), plan.sequenceLength());
            log.printf("base model: pretraining %.1fM parameters on %d sequences of %d tokens%s%n",
                    model.transformer().config().parameterCount() / 1e6, examples.size(), plan.sequenceLength(),
                    resume ? " (resuming)" : "");
            TrainResult result = train(model, plan.pretrain(), examples, runDir, resume, "pretrain");
            log.printf("base model: %d steps, final loss %.3f, %.0f tokens/s%n", result.steps(), result.loss(),
                    result.tokensPerSecond());
            ModelWriter.save(model.transformer(), dir, DType.F32, files.tokenizerDir());
        }
        AtomicFiles.writeString(dir.resolve(FINGERPRINT), fp);
        FileTrees.deleteTree(runDir);
        FileTrees.deleteTree(init);
        return dir;
    }

    /**
     * RT or SRG: the base fine-tuned on the safety mixture (chat examples, and the replayed
     * knowledge documents as plain language-model text), with the shared recipe.
     */
    private Path ensureSafetyModel(String name, Path base, List<SafetyData.Example> data, List<String> replay)
            throws IOException {
        Path dir = out.resolve("models").resolve(name);
        StringBuilder dataText = new StringBuilder();
        data.forEach(e -> dataText.append(e.conversation().messages()).append('\n'));
        replay.forEach(d -> dataText.append(d).append('\n'));
        String fp = fingerprint(name, PIPELINE_VERSION, fingerprintOf(base), plan.safety().resultDefiningJson().toString(),
                dataText.toString());
        if (!fresh && fp.equals(fingerprintOf(dir))) {
            log.println(name + " model: reusing " + dir);
            return dir;
        }
        Path runDir = out.resolve("models").resolve(name + ".train");
        boolean resume = !fresh && fp.equals(fingerprintOf(runDir)) && Files.isDirectory(runDir.resolve("checkpoints"));
        if (!resume) {
            FileTrees.deleteTree(runDir);
        }
        FileTrees.deleteTree(dir);
        Files.createDirectories(runDir);
        AtomicFiles.writeString(runDir.resolve(FINGERPRINT), fp);
        try (LocalModel model = LocalModel.load(base, device)) {
            List<Conversation> conversations = data.stream().map(SafetyData.Example::conversation).toList();
            TrainingData td = TrainingData.chat(model, conversations, 512, LengthPolicy.DROP);
            List<TrainingExample> examples = new ArrayList<>(td.examples());
            List<TrainingExample> replayed = CorpusPacker.pack(replay, model.tokenizer(), plan.sequenceLength());
            examples.addAll(replayed);
            long disguised = data.stream().filter(e -> e.form() != null).count();
            log.printf("%s model: fine-tuning the base on %d requests (%d plain, %d benign in seen disguises) and %d "
                    + "replayed sequences%s%n", name, td.examples().size(), data.size() - disguised, disguised, replayed.size(),
                    resume ? " (resuming)" : "");
            TrainResult result = train(model, plan.safety(), examples, runDir, resume, "train " + name);
            log.printf("%s model: %d steps, final loss %.3f%n", name, result.steps(), result.loss());
            ModelWriter.save(model.transformer(), dir, DType.F32, base);
        }
        AtomicFiles.writeString(dir.resolve(FINGERPRINT), fp);
        FileTrees.deleteTree(runDir);
        return dir;
    }

    private TrainResult train(LocalModel model, TrainConfig config, List<TrainingExample> examples,
            Path runDir, boolean resume, String task) throws IOException {
        try (TrainProgressBar bar = new TrainProgressBar(log, task);
                Trainer trainer = new Trainer(model.transformer(), config, bar)) {
            TrainResult result = trainer.train(examples, List.of(), runDir, resume);
            if (trainer.adapters() != null) {
                // LoRA recipes: the saved model is the base with the adapters merged in.
                trainer.adapters().mergeInto(model.transformer());
            }
            return result;
        }
    }

    // ---- evaluation --------------------------------------------------------------------------

    /** Best-of-N on plain harmful requests, every disguise, and benign requests, judged by the oracle. */
    private JsonNode evaluate(World world, Map<String, Path> models) throws IOException {
        List<Attack> attacks = new ArrayList<>();
        attacks.add(new PlainPrompt(plan.world().seed()));
        for (Disguise d : Disguise.values()) {
            attacks.add(new DisguiseAttack(world, d, plan.world().seed()));
        }
        SamplingParams sampling = plan.sampling();
        // Sequential Best-of-N that keeps sampling a prompt until it has shown both a sample that is
        // not unsafe (the paper's sense) and a refusal (latent refusal), or N; benign requests are
        // asked in every form too, for capability beside safety.
        EvalConfig config = new EvalConfig(SafetyData.harmfulEval(world), SafetyData.benignEval(world), attacks,
                "safetyworld seed=" + plan.world().seed(), plan.n(), SamplingMode.SEQUENTIAL, sampling,
                plan.benignSamples(), 2 * SAMPLING_BATCH, 256, 1000, plan.world().seed())
                .withLatentRefusal(true).withBenignUnderAttacks(true);
        List<ChatModel> chats = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> m : models.entrySet()) {
                chats.add(new LocalChatModel(m.getKey(), LocalModel.load(m.getValue(), device),
                        new Generator.Options(SAMPLING_BATCH)));
            }
            WorldJudge judge = new WorldJudge(world);
            EvalResults results;
            try (RunStore store = RunStore.open(out)) {
                results = new BestOfNEval(config, store, new ProgressBars(new PrintWriter(log, true)))
                        .run(chats, judge, judge);
            }
            JsonNode json = ResultsJson.toJson(results, evalConfigJson(world));
            ResultsJson.write(out.resolve(ResultsJson.FILE_NAME), json);
            return json;
        } finally {
            chats.forEach(ChatModel::close);
        }
    }

    private ObjectNode evalConfigJson(World world) {
        ObjectNode c = JSON.createObjectNode();
        c.put("command", "srg quickstart");
        c.put("study", "SafetyWorld");
        c.set("plan", plan.toJson());
        c.put("judge", WorldJudge.ID);
        c.put("mode", "sequential");
        c.put("latent_refusal", true);
        c.put("benign_under_attacks", true);
        ArrayNode attacks = c.putArray("attacks");
        attacks.add(PlainPrompt.NAME);
        for (Disguise d : Disguise.values()) {
            attacks.add(DisguiseAttack.nameOf(d));
        }
        ArrayNode seen = c.putArray("disguises_seen");
        Disguise.seen(true).forEach(d -> seen.add(DisguiseAttack.nameOf(d)));
        ArrayNode unseen = c.putArray("disguises_unseen");
        Disguise.seen(false).forEach(d -> unseen.add(DisguiseAttack.nameOf(d)));
        c.put("harmful_prompts", SafetyData.harmfulEval(world).size());
        c.put("benign_prompts", SafetyData.benignEval(world).size());
        return c;
    }

    // ---- representations ---------------------------------------------------------------------

    /** Hidden states of ID harmful, ID benign and every disguise, for each model, then the analyses. */
    private ProbeResults probe(World world, Map<String, Path> models) throws IOException {
        List<ProbeSet> sets = new ArrayList<>();
        List<Behavior> harmful = SafetyData.harmfulEval(world);
        sets.add(new ProbeSet(ProbeSet.ID_HARMFUL, prompts(harmful, true)));
        sets.add(new ProbeSet(ProbeSet.ID_BENIGN, prompts(SafetyData.benignEval(world), false)));
        for (Disguise d : Disguise.values()) {
            DisguiseAttack attack = new DisguiseAttack(world, d, plan.world().seed());
            List<ProbePrompt> prompts = new ArrayList<>();
            for (Behavior b : harmful) {
                prompts.add(new ProbePrompt(b.id(), true, attack.apply(b).get(0).conversation()));
            }
            sets.add(new ProbeSet(attack.name(), prompts));
        }
        HiddenStateStore store = HiddenStateStore.inRunDir(out);
        HiddenStateExtraction extraction = new HiddenStateExtraction(store);
        LayerSelection layers = LayerSelection.parse("all", "--layers");
        for (Map.Entry<String, Path> m : models.entrySet()) {
            try (LocalModel model = LocalModel.load(m.getValue(), device);
                    HiddenStateExtractor source = new HiddenStateExtractor(m.getKey(), model, 32)) {
                int[] indices = layers.resolve(source.numLayers(), "--layers");
                for (ProbeSet set : sets) {
                    extraction.extract(source, set, indices, 32, n -> { });
                }
            }
        }
        List<String> ood = sets.stream().filter(s -> s.role() == ProbeSet.Role.OOD).map(ProbeSet::name).toList();
        ProbeAnalysis.Options options = new ProbeAnalysis.Options(List.of(Pooling.LAST_TOKEN), layers, null, ood, 1.0,
                ProbeAnalysis.ID_HELD_OUT_FRACTION, plan.world().seed());
        Map<String, ProbeResults.ModelProbe> byModel = new LinkedHashMap<>();
        for (String model : models.keySet()) {
            byModel.put(model, ProbeAnalysis.analyse(store, model, options, n -> { }));
        }
        ProbeResults results = new ProbeResults(options.config(), byModel);
        ProbeJson.write(out.resolve(ProbeJson.FILE), results);
        return results;
    }

    private static List<ProbePrompt> prompts(List<Behavior> behaviors, boolean harmful) {
        return behaviors.stream().map(b -> new ProbePrompt(b.id(), harmful, Conversation.user(b.prompt()))).toList();
    }

    // ---- bookkeeping -------------------------------------------------------------------------

    /** When any model changed, results stored for the old ones must not be reused. */
    private void resetEvaluationIfStale(String evalFingerprint) throws IOException {
        String previous = readIfExists(out.resolve(FINGERPRINT));
        if (previous != null && !previous.equals(evalFingerprint) || fresh) {
            for (String f : List.of(RunStore.FILE_NAME, RunStore.FILE_NAME + "-wal", RunStore.FILE_NAME + "-shm",
                    ResultsJson.FILE_NAME, ProbeJson.FILE)) {
                Files.deleteIfExists(out.resolve(f));
            }
            FileTrees.deleteTree(out.resolve(HiddenStateStore.DIR));
        }
    }

    private static String fingerprintOf(Path dir) throws IOException {
        return readIfExists(dir.resolve(FINGERPRINT));
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
    }

    /** Zero-separated parts (not ContentHash.of's length prefixes): the framing existing run folders were keyed with. */
    private static String fingerprint(String... parts) {
        MessageDigest digest = ContentHash.newDigest();
        for (String p : parts) {
            digest.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A stage that may throw I/O errors. */
    @FunctionalInterface
    private interface Stage<T> {
        T run() throws IOException;
    }

    private <T> T timed(String stage, Stage<T> work) throws IOException {
        long t = System.nanoTime();
        T result = work.run();
        seconds.put(stage, (System.nanoTime() - t) / 1e9);
        return result;
    }
}
