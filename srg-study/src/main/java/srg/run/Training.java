package srg.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import srg.SettingError;
import srg.data.TextCorpus;
import srg.engine.LocalModel;
import srg.engine.lora.PeftAdapter;
import srg.engine.model.ModelWriter;
import srg.engine.train.AnchorImportance;
import srg.engine.train.CorpusPacker;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.FisherDiagonal;
import srg.engine.train.TrainCheckpoint;
import srg.engine.train.TrainResult;
import srg.engine.train.Trainer;
import srg.engine.train.TrainingData;
import srg.engine.train.TrainingExample;
import srg.io.AtomicFiles;
import srg.sft.SftData;
import srg.sft.SftReader;

/**
 * One training run from files: supervised fine-tuning on chat data (loss on assistant turns),
 * or pretraining on a text corpus (loss on every token), optionally with replayed text packed
 * beside the chat data; LoRA or full, resumable from the run's checkpoints. Writes the model
 * (a Hugging Face checkpoint, or a PEFT adapter with the base's tokenizer), train_log.jsonl and
 * train_summary.json. srg train and the study's training stages run through here.
 */
public final class Training {

    /** The summary written beside the model. */
    public static final String SUMMARY = "train_summary.json";

    /**
     * The data of one run.
     *
     * @param data chat data (JSONL in the OpenAI, ShareGPT or Alpaca format), or with {@code pretrain} a text corpus
     * @param pretrain whether {@code data} is a corpus trained on every token
     * @param evalData held-out data of the same kind, or null
     * @param replay a text corpus replayed beside chat data (packed in {@code replayLength}-token sequences), or null
     * @param replayLength the packed length of the replayed text
     * @param skipBad leave malformed lines out (counted) instead of stopping at the first
     * @param knownText the base's pretraining text (a corpus), whose tokens' embedding rows
     *     {@code freeze_embeddings: known} keeps; or null
     */
    public record Inputs(Path data, boolean pretrain, Path evalData, Path replay, int replayLength, boolean skipBad,
            Path knownText) {

        /** Chat data alone. */
        public static Inputs chat(Path data) {
            return new Inputs(data, false, null, null, 0, false, null);
        }

        /** A corpus to pretrain on. */
        public static Inputs corpus(Path data) {
            return new Inputs(data, true, null, null, 0, false, null);
        }

        /** The same data with a corpus replayed beside it. */
        public Inputs withReplay(Path corpus, int length) {
            return new Inputs(data, pretrain, evalData, corpus, length, skipBad, knownText);
        }

        /** The same data with held-out data of the same kind. */
        public Inputs withEvalData(Path heldOut) {
            return new Inputs(data, pretrain, heldOut, replay, replayLength, skipBad, knownText);
        }

        /** The same data with the base's pretraining text, for {@code freeze_embeddings: known}. */
        public Inputs withKnownText(Path corpus) {
            return new Inputs(data, pretrain, evalData, replay, replayLength, skipBad, corpus);
        }
    }

    /** A data file as read: conversations, or a corpus. */
    private record Records(Path file, SftData conversations, TextCorpus corpus) {}

    private final TrainSettings settings;
    private final Inputs inputs;
    private final Console console;
    private final Records train;
    private final Records eval;
    private final TextCorpus replay;
    private final TextCorpus knownText;

    /** Reads the data files now, so that a bad line fails before any model is loaded. */
    public Training(TrainSettings settings, Inputs inputs, Console console) throws IOException {
        this.settings = settings;
        this.inputs = inputs;
        this.console = console;
        this.train = read(inputs.data());
        this.eval = inputs.evalData() == null ? null : read(inputs.evalData());
        this.replay = inputs.replay() == null ? null : TextCorpus.read(inputs.replay(), inputs.skipBad());
        boolean known = settings.config().freezeEmbeddings() == EmbeddingFreeze.KNOWN;
        if (known && inputs.knownText() == null) {
            throw SettingError.of("freeze_embeddings", "known keeps the rows of the tokens in the base's pretraining text,"
                    + " and no such text was given");
        }
        boolean fisher = settings.config().anchorImportance() == AnchorImportance.FISHER;
        if (fisher && inputs.knownText() == null) {
            throw SettingError.of("anchor_importance", "fisher measures each weight's importance on the base's pretraining"
                    + " text, and no such text was given");
        }
        this.knownText = known || fisher ? TextCorpus.read(inputs.knownText(), inputs.skipBad()) : null;
    }

    private Records read(Path file) throws IOException {
        return inputs.pretrain() ? new Records(file, null, TextCorpus.read(file, inputs.skipBad()))
                : new Records(file, SftReader.read(file, inputs.skipBad()), null);
    }

    /**
     * Trains {@code base} (a Hugging Face folder, never modified) into {@code out}; with
     * {@code resume}, continues the run begun there (from its latest checkpoint, or from step 0
     * if it has none; the trainer checks the settings and data are the same). Ctrl-C saves a
     * checkpoint; the result then says {@code interrupted} and nothing else is written. {@code task}
     * names the run in progress reports.
     */
    public TrainResult run(String task, Path base, Device device, Path out, boolean resume) throws IOException {
        try (LocalModel model = LocalModel.load(base, device)) {
            console.info("tokenizing " + inputs.data() + (inputs.evalData() == null ? "" : " and " + inputs.evalData()) + " ...");
            TrainingData trainData = tokenize(model, train);
            console.info("train: " + trainData.describe());
            List<TrainingExample> examples = new ArrayList<>(trainData.examples());
            if (replay != null) {
                TrainingData replayed = TrainingData.corpus(model.tokenizer(), replay, inputs.replayLength());
                console.info("replay: " + replayed.describe());
                examples.addAll(replayed.examples());
            }
            TrainingData evalData = eval == null ? null : tokenize(model, eval);
            if (evalData != null) {
                console.info("eval:  " + evalData.describe());
            }
            boolean known = settings.config().freezeEmbeddings() == EmbeddingFreeze.KNOWN;
            Set<Integer> knownTokens = !known ? Set.of()
                    : CorpusPacker.vocabularyOf(knownText.documents(), model.tokenizer());
            List<TrainingExample> pretrainingText = List.of();
            if (settings.config().anchorImportance() == AnchorImportance.FISHER) {
                // Packed as the base was pretrained where the inputs say how (a replayed corpus's length).
                int length = inputs.replayLength() > 0 ? inputs.replayLength() : settings.maxSeqLen();
                pretrainingText = TrainingData.corpus(model.tokenizer(), knownText, length).examples();
                console.info(String.format(Locale.ROOT, "anchor_importance fisher: each weight's pull weighed by its importance"
                        + " to %s (the first %d of %d sequences of %d tokens)", inputs.knownText(),
                        FisherDiagonal.sequencesRead(pretrainingText.size(), settings.config().batchSize()),
                        pretrainingText.size(), length));
            }
            if (known) {
                console.info(String.format(Locale.ROOT, "freeze_embeddings known: the embedding rows of %d tokens (those of %s)"
                        + " stay as the base has them", knownTokens.size(), inputs.knownText()));
            }
            TrainResult result;
            try (Console.Training progress = console.training(task);
                    Trainer trainer = new Trainer(model.transformer(), settings.config(), progress, knownTokens, pretrainingText)) {
                Thread hook = checkpointOnExit(trainer);
                try {
                    result = trainer.train(examples, evalData == null ? List.of() : evalData.examples(), out, resume);
                    if (result.interrupted()) {
                        return result;
                    }
                    writeModel(trainer, model, base, out);
                    writeSummary(base, trainData, evalData, result, out);
                } finally {
                    removeHook(hook);
                }
            }
            if (!settings.keepCheckpoints()) {
                new TrainCheckpoint(out).deleteAll();
            }
            String kept = result.keptStep() == result.steps() ? ""
                    : String.format(Locale.ROOT, " (%s; kept the weights of step %d, the best held-out loss)",
                            result.stoppedEarly() ? "stopped early" : "ran all steps", result.keptStep());
            console.info(String.format(Locale.ROOT, "done: %d steps%s, final loss %.4f%s, %.0f tokens/s; wrote %s", result.steps(),
                    kept, result.loss(), Double.isNaN(result.evalLoss()) ? "" : String.format(Locale.ROOT, ", eval loss %.4f", result.evalLoss()),
                    result.tokensPerSecond(), out));
            return result;
        }
    }

    private TrainingData tokenize(LocalModel model, Records records) {
        if (records.corpus() != null) {
            return TrainingData.corpus(model.tokenizer(), records.corpus(), settings.maxSeqLen());
        }
        return TrainingData.chat(model, records.conversations(), settings.maxSeqLen(), settings.longPolicy());
    }

    /**
     * Ctrl-C (or any JVM exit) saves a checkpoint of the last finished step before the process
     * ends, until the outputs are written.
     */
    private Thread checkpointOnExit(Trainer trainer) {
        Thread hook = new Thread(() -> {
            try {
                Path saved = trainer.stopAndCheckpoint();
                if (saved != null) {
                    console.info("interrupted: checkpoint saved in " + saved + " (run the same command again to continue)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "srg-train-checkpoint-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook runs
        }
    }

    private void writeModel(Trainer trainer, LocalModel model, Path base, Path out) throws IOException {
        if (trainer.adapters() == null) {
            ModelWriter.save(model.transformer(), out, settings.dtype(), base);
            return;
        }
        PeftAdapter.save(trainer.adapters(), out, base.toAbsolutePath().normalize().toString());
        ModelWriter.copyTokenizer(base, out);
        if (settings.merge()) {
            trainer.adapters().mergeInto(model.transformer());
            ModelWriter.save(model.transformer(), out.resolve("merged"), settings.dtype(), base);
            console.info("merged checkpoint: " + out.resolve("merged"));
        }
    }

    private void writeSummary(Path base, TrainingData trainData, TrainingData evalData, TrainResult result, Path out)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode s = json.createObjectNode();
        s.put("base", base.toAbsolutePath().normalize().toString());
        s.put("data", inputs.data().toAbsolutePath().normalize().toString());
        if (inputs.evalData() != null) {
            s.put("eval_data", inputs.evalData().toAbsolutePath().normalize().toString());
        }
        if (inputs.replay() != null) {
            s.put("replay", inputs.replay().toAbsolutePath().normalize().toString());
            s.put("replay_length", inputs.replayLength());
        }
        s.put("objective", inputs.pretrain() ? "all tokens (pretraining)" : "assistant tokens");
        s.set("config", settings.config().resultDefiningJson());
        s.put("max_seq_len", settings.maxSeqLen());
        s.put("train_data", trainData.describe());
        if (evalData != null) {
            s.put("eval_data_summary", evalData.describe());
        }
        s.put("steps", result.steps());
        s.put("final_loss", result.loss());
        if (settings.config().earlyStopping() > 0) {
            // The weights written are those of the best held-out evaluation, not of the last step.
            s.put("kept_step", result.keptStep());
            s.put("stopped_early", result.stoppedEarly());
        }
        if (!Double.isNaN(result.evalLoss())) {
            s.put("final_eval_loss", result.evalLoss());
        }
        s.put("tokens", result.tokens());
        s.put("seconds", result.seconds());
        AtomicFiles.writeString(out.resolve(SUMMARY), json.writerWithDefaultPrettyPrinter().writeValueAsString(s));
    }
}
