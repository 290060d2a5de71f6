package srg.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import srg.UserError;
import srg.engine.Devices;
import srg.engine.lora.LoraConfig;
import srg.engine.model.Precision;
import srg.engine.safetensors.DType;
import srg.engine.train.AnchorImportance;
import srg.engine.train.EmbeddingFreeze;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;
import srg.engine.train.TrainResult;
import srg.io.RunLock;
import srg.run.TrainFolder;
import srg.run.TrainSettings;
import srg.run.Training;

/** {@code srg train}: supervised fine-tuning (LoRA or full) and pretraining on a local checkpoint. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fine-tune a local Hugging Face checkpoint on chat data (loss on assistant turns only), with LoRA"
                    + " (default) or fully; or, with --pretrain, train on a text corpus with the loss on every token.",
            "Data: JSONL in the OpenAI messages, ShareGPT or Alpaca format (detected per file), or a JSON array of"
                    + " such records. With --pretrain: plain text (blank lines separate documents) or JSONL {\"text\": ...}.",
            "Output in --out: LoRA -> adapter_config.json + adapter_model.safetensors (PEFT layout; --merge adds a"
                    + " merged checkpoint in --out/merged); full -> a Hugging Face checkpoint. Also train_log.jsonl"
                    + " (one line per step) and train_summary.json. Checkpoints (with optimizer state) go to"
                    + " --out/checkpoints every --checkpoint-every steps and on Ctrl-C; rerunning the same command"
                    + " continues from the latest one exactly (from step 0 if none was written yet). Runs on the CPU"
                    + " in F32, or with --compute-dtype bf16 in mixed precision (set OMP_NUM_THREADS to choose libtorch's"
                    + " threads)."
        })
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--base", required = true, description = "Hugging Face model folder to start from (never modified).")
    Path base;

    @Option(names = "--data", required = true, description = "Training data file.")
    Path data;

    @Option(names = "--eval-data", description = "Held-out data (same kind as --data): its loss every --eval-every steps and at the end.")
    Path evalData;

    @Option(names = "--out", required = true, description = "Output folder: new or empty, or that of a run begun with the same flags, which is continued.")
    Path out;

    static final class ModeOptions {
        @Option(names = "--lora-rank", description = "LoRA rank r (LoRA is the default mode; default r 16).")
        Integer loraRank;

        @Option(names = "--full", description = "Train every weight instead of LoRA adapters.")
        boolean full;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModeOptions modeOptions = new ModeOptions();

    @Option(names = "--lora-alpha", defaultValue = "32", description = "LoRA alpha (scaling alpha/r). Default: ${DEFAULT-VALUE}.")
    double loraAlpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05", description = "Dropout on the adapter input. Default: ${DEFAULT-VALUE}.")
    double loraDropout;

    @Option(names = "--lora-targets", split = ",", defaultValue = "all",
            description = "Projections to adapt: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj or all. Default: ${DEFAULT-VALUE}.")
    List<String> loraTargets;

    @Option(names = "--merge", description = "LoRA: also write base + adapter merged into a full checkpoint in --out/merged.")
    boolean merge;

    @Option(names = "--pretrain", description = "Data is a text corpus; loss on every token (e.g. pretraining a random checkpoint from `srg model random`).")
    boolean pretrain;

    @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many optimizer steps (0: all epochs). Default: ${DEFAULT-VALUE}.")
    int maxSteps;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--warmup", defaultValue = "0.1", description = "Fraction of steps of linear warmup, then cosine decay. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--batch", defaultValue = "2", description = "Sequences per forward pass. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--grad-accum", defaultValue = "4", description = "Forward passes per optimizer step (effective batch = batch x grad-accum). Default: ${DEFAULT-VALUE}.")
    int gradAccum;

    @Option(names = "--max-seq-len", defaultValue = "1024", description = "Longest sequence in tokens (pretraining: the packed length). Default: ${DEFAULT-VALUE}.")
    int maxSeqLen;

    @Option(names = "--long", defaultValue = "drop", description = "Longer sequences: drop or truncate. Default: ${DEFAULT-VALUE}.")
    String longPolicy;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW decoupled weight decay (not on norms and biases). Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--anchor-decay", defaultValue = "0", description = "Decoupled decay towards the starting weights "
            + "instead of zero (L2-SP): after each step every weight moves back by lr x this of its distance from where "
            + "the run began, keeping fine-tuning near the base. Default: ${DEFAULT-VALUE} (off).")
    double anchorDecay;

    @Option(names = "--anchor-params", paramLabel = "REGEX", description = "With --full and --anchor-decay: pull only the"
            + " weights whose names (as in the checkpoint: model.embed_tokens.weight, model.layers.0.self_attn.q_proj.weight,"
            + " ...) this regular expression matches in full, and train the others free; e.g. 'model\\.(embed_tokens|layers\\.[01])\\..*'"
            + " holds the embedding and the first two blocks. Default: every weight.")
    String anchorParams;

    @Option(names = "--anchor-importance", paramLabel = "uniform|fisher", defaultValue = "uniform", description = "With --full and"
            + " --anchor-decay: hold every pulled weight alike (uniform, L2-SP), or each by its importance to the base's"
            + " pretraining text, --known-text FILE (fisher: the diagonal of the empirical Fisher information there, scaled"
            + " to a mean of 1, as in EWC). Default: ${DEFAULT-VALUE}.")
    String anchorImportance;

    @Option(names = "--beta1", defaultValue = "0.9", description = "Default: ${DEFAULT-VALUE}.")
    double beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "Default: ${DEFAULT-VALUE}.")
    double beta2;

    @Option(names = "--eps", defaultValue = "1e-8", description = "Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(names = "--clip", defaultValue = "1.0", description = "Clip the global gradient norm (0: off). Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--seed", defaultValue = "0", description = "Decides data order, LoRA init and dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints (0: only on Ctrl-C). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--eval-every", defaultValue = "0", description = "Steps between held-out evaluations (0: at the end only). Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop once this many held-out evaluations in a row (every --eval-every steps, on --eval-data)"
                    + " have not lowered the best held-out loss, and write the weights of the best one (0: off). Default: ${DEFAULT-VALUE}.")
    int earlyStopping;

    @Option(names = "--split-by-length", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Split each step's examples into the micro-batches (at most --batch each) that pad least;"
                    + " the step's gradient is the same up to float rounding, and mixed short and long examples train"
                    + " faster. --no-split-by-length keeps fixed runs of --batch (the behaviour before; bit for bit)."
                    + " Default: on.")
    boolean splitByLength;

    @Option(names = "--freeze-embeddings", paramLabel = "all|known", arity = "0..1", fallbackValue = "all",
            description = "With --full: keep token-embedding (and LM-head) rows as the base has them and train every other"
                    + " weight, so that words the data never shows keep their rows. all (the flag alone): every row; words"
                    + " the base never used cannot be learned then. known: the rows of the tokens in --known-text (the"
                    + " base's pretraining text) stay, and the rows of tokens it never read train. Default: none.")
    String freezeEmbeddings;

    @Option(names = "--known-text", paramLabel = "FILE", description = "With --freeze-embeddings known or --anchor-importance"
            + " fisher: the base model's pretraining text, a JSONL corpus as --pretrain reads it; the embedding rows of its"
            + " tokens stay frozen, or each weight's pull is weighed on it (packed in --max-seq-len-token sequences).")
    Path knownText;

    @Option(names = "--skip-bad", description = "Skip malformed data lines (counted and reported) instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--resume", description = "Continue the run begun in --out, and fail if there is none. A rerun of the same"
            + " command continues it too: from its latest checkpoint, or from step 0 if it stopped before the first (same flags and data, checked).")
    boolean resume;

    @Option(names = "--keep-checkpoints", description = "Keep --out/checkpoints after the run finishes.")
    boolean keepCheckpoints;

    @Option(names = "--dtype", defaultValue = "f32", description = "Weights of a full or merged checkpoint: f32, bf16 or f16. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--compute-dtype", paramLabel = "f32|bf16|auto",
            description = "Matmul format: f32 (the reference), bf16 (mixed precision: BF16 matmuls forward and backward;"
                    + " F32 master weights, gradients, optimizer state, norms, softmax and loss), or auto (bf16 where the"
                    + " CPU reports avx512_bf16 or amx_bf16). Default: auto; a resumed run continues in the dtype it began"
                    + " with (f32 for a run begun before BF16 existed), and refuses another one.")
    String computeDtype;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        Precision.Choice precision = TrainFolder.precision(out, computeDtype);
        TrainSettings settings = new TrainSettings(config(precision.precision()), maxSeqLen, LengthPolicy.parse(longPolicy),
                DType.parse(dtype), merge, keepCheckpoints);
        Device dev = Devices.parse(device);
        ProgressBars console = new ProgressBars(new PrintWriter(System.err, true));
        // Reads the data before loading the model, so that a bad line fails fast.
        boolean fisher = settings.config().anchorImportance() == AnchorImportance.FISHER;
        if (knownText != null && settings.config().freezeEmbeddings() != EmbeddingFreeze.KNOWN && !fisher) {
            throw new UserError("--known-text is read only with --freeze-embeddings known or --anchor-importance fisher");
        }
        if (knownText == null && settings.config().freezeEmbeddings() == EmbeddingFreeze.KNOWN) {
            throw new UserError("--freeze-embeddings known needs --known-text FILE, the base model's pretraining text");
        }
        if (knownText == null && fisher) {
            throw new UserError("--anchor-importance fisher needs --known-text FILE, the base model's pretraining text");
        }
        Training training = new Training(settings, new Training.Inputs(data, pretrain, evalData, null, 0, skipBad, knownText),
                console);
        // Held until the outputs are written: a second run into --out stops at once.
        try (RunLock lock = RunLock.folder(out)) {
            boolean continuing = TrainFolder.continues(out, resume);
            if (continuing) {
                console.info("continuing the run begun in " + out + " (from its latest checkpoint, or from step 0 if it has none)");
            }
            console.info("srg: matmuls in " + precision.describe());
            TrainResult result = training.run("train", base, dev, out, continuing);
            if (result.interrupted()) {
                console.info(String.format(Locale.ROOT, "stopped after step %d of %d; checkpoint in %s (run the same command again to continue)",
                        result.steps(), result.totalSteps(), out.resolve("checkpoints")));
                return 130;
            }
            return 0;
        }
    }

    private TrainConfig config(Precision precision) {
        boolean full = modeOptions != null && modeOptions.full;
        int rank = modeOptions == null || modeOptions.loraRank == null ? LoraConfig.DEFAULT.rank() : modeOptions.loraRank;
        LoraConfig lora = full ? null : new LoraConfig(rank, loraAlpha, loraDropout, LoraConfig.parseTargets(loraTargets));
        return new TrainConfig(full ? TrainConfig.Mode.FULL : TrainConfig.Mode.LORA, lora, epochs, maxSteps, lr, warmup,
                batch, gradAccum, weightDecay, anchorDecay, beta1, beta2, eps, clip, seed, checkpointEvery, evalEvery, earlyStopping,
                precision, splitByLength, EmbeddingFreeze.parse(freezeEmbeddings), anchorParams,
                AnchorImportance.parse(anchorImportance));
    }
}
