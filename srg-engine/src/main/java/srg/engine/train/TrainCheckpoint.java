package srg.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import srg.UserError;
import srg.engine.model.Precision;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsFile;
import srg.engine.safetensors.SafetensorsWriter;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;
import srg.io.AtomicFiles;
import srg.io.FileTrees;
import srg.io.Utf8File;

/**
 * Resumable training state in {@code <run>/checkpoints}: {@code run.json} (what the run must
 * match to be resumed, written before its first step), one {@code step-NNNNNNN} folder per
 * checkpoint (trainable weights, AdamW moments, progress) and a {@code LATEST} file naming the
 * newest complete one. The folder is written in full before {@code LATEST} is switched to it
 * (an atomic rename), so a crash at any moment leaves the previous checkpoint usable; older
 * folders are deleted only after the switch. A run stopped before its first checkpoint has
 * {@code run.json} alone: resuming it starts again from step 0, once its settings are checked.
 * Under early stopping, {@code best-NNNNNNN} holds the trainable weights of the best held-out
 * evaluation; one is deleted only once a checkpoint names a newer one.
 */
public final class TrainCheckpoint {

    /**
     * Progress at a checkpoint. {@code run} holds what a resumed run must match; {@code best} is
     * null without early stopping or before its first held-out evaluation.
     */
    public record State(int step, long tokens, double seconds, double loss, Best best, ObjectNode run) {}

    /** The best held-out evaluation so far, and how many evaluations since have not beaten it. */
    public record Best(int step, double evalLoss, int evaluationsSince) {

        /** After one more evaluation, of {@code evalLoss} at {@code atStep}. */
        public Best after(int atStep, double evalLoss) {
            return evalLoss < this.evalLoss ? new Best(atStep, evalLoss, 0) : new Best(step, this.evalLoss, evaluationsSince + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "LATEST";
    private static final String RUN = "run.json";

    private final Path dir;

    public TrainCheckpoint(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    public Path dir() {
        return dir;
    }

    /** Whether a checkpoint has been written. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve(LATEST));
    }

    /** Whether a run was begun here (it may have no checkpoint yet). */
    public boolean begun() {
        return exists() || Files.isRegularFile(dir.resolve(RUN));
    }

    /** Records what a resumed run must match, before the first step. */
    public void begin(ObjectNode run) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RUN), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    }

    /** What a run begun here but not yet checkpointed must match (from {@code run.json}). */
    public ObjectNode begunRun() throws IOException {
        Path file = dir.resolve(RUN);
        JsonNode run;
        try {
            run = JSON.readTree(Utf8File.open(file));
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": unreadable (" + e.getOriginalMessage() + ")");
        }
        if (!(run instanceof ObjectNode o)) {
            throw new UserError(file + ": expected a JSON object");
        }
        return o;
    }

    /**
     * The matmul format of the run begun here, so that resuming it without naming one continues
     * in the same numbers: its {@code compute_dtype}, absent (F32) in a run begun before BF16
     * existed or without a {@code run.json}.
     */
    public Precision begunPrecision() throws IOException {
        if (!Files.isRegularFile(dir.resolve(RUN))) {
            return Precision.F32;
        }
        JsonNode dtype = begunRun().get("compute_dtype");
        return dtype == null ? Precision.F32 : Precision.choose(dtype.asText(), "compute_dtype").precision();
    }

    /** Writes a checkpoint and makes it the latest; returns its folder. */
    public Path save(State state, AdamW optimizer) throws IOException {
        Path target = dir.resolve(String.format("step-%07d", state.step()));
        Files.createDirectories(target);
        List<TrainableParameter> params = optimizer.parameters();
        List<SafetensorsWriter.Entry> moments = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            String name = params.get(i).name();
            moments.add(entry("exp_avg." + name, optimizer.firstMoments().get(i)));
            moments.add(entry("exp_avg_sq." + name, optimizer.secondMoments().get(i)));
        }
        writeWeights(target, params);
        SafetensorsWriter.write(target.resolve("optimizer.safetensors"), moments, Map.of());
        ObjectNode s = JSON.createObjectNode();
        s.put("step", state.step());
        s.put("tokens", state.tokens());
        s.put("seconds", state.seconds());
        s.put("loss", state.loss());
        if (state.best() != null) {
            ObjectNode b = s.putObject("best");
            b.put("step", state.best().step());
            b.put("eval_loss", state.best().evalLoss());
            b.put("evaluations_since", state.best().evaluationsSince());
        }
        s.set("run", state.run());
        AtomicFiles.writeString(target.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        AtomicFiles.writeString(dir.resolve(LATEST), target.getFileName().toString() + "\n");
        deleteAllBut(target, state.best() == null ? null : bestFolder(state.best().step()));
        return target;
    }

    /**
     * Writes the trainable weights of the best held-out evaluation, at {@code step}. Older ones stay
     * until a checkpoint names this one, so that resuming from the latest checkpoint finds its own.
     */
    public void saveBest(int step, List<TrainableParameter> params) throws IOException {
        Path target = bestFolder(step);
        Files.createDirectories(target);
        writeWeights(target, params);
    }

    /** The trainable weights, as {@code trainable.safetensors} in {@code folder}. */
    private static void writeWeights(Path folder, List<TrainableParameter> params) throws IOException {
        List<SafetensorsWriter.Entry> weights = new ArrayList<>();
        for (TrainableParameter p : params) {
            weights.add(entry(p.name(), p.array()));
        }
        SafetensorsWriter.write(folder.resolve("trainable.safetensors"), weights, Map.of());
    }

    /** Loads the weights {@link #saveBest} wrote at {@code step} back into the parameters. */
    public void restoreBest(int step, List<TrainableParameter> params) throws IOException {
        Path folder = bestFolder(step);
        Path file = folder.resolve("trainable.safetensors");
        if (!Files.isRegularFile(file)) {
            throw new UserError(folder + ": the weights of the best held-out evaluation (step " + step + ") are missing");
        }
        Map<String, TensorInfo> weights = SafetensorsFile.open(file).tensors();
        for (TrainableParameter p : params) {
            load(folder, weights.get(p.name()), p.name(), p.array());
        }
    }

    private Path bestFolder(int step) {
        return dir.resolve(String.format("best-%07d", step));
    }

    private static SafetensorsWriter.Entry entry(String name, NDArray array) {
        return new SafetensorsWriter.Entry(name, array.getShape().getShape(), DType.F32,
                () -> array.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /** Loads the latest checkpoint into the parameters and moments; returns its progress. */
    public State restore(AdamW optimizer) throws IOException {
        Path latest = latestFolder();
        JsonNode s;
        try {
            s = JSON.readTree(Utf8File.open(latest.resolve("state.json")));
        } catch (IOException e) {
            throw new UserError(latest.resolve("state.json") + ": unreadable (" + e.getMessage() + ")");
        }
        Map<String, TensorInfo> weights = SafetensorsFile.open(latest.resolve("trainable.safetensors")).tensors();
        Map<String, TensorInfo> moments = SafetensorsFile.open(latest.resolve("optimizer.safetensors")).tensors();
        List<TrainableParameter> params = optimizer.parameters();
        for (int i = 0; i < params.size(); i++) {
            TrainableParameter p = params.get(i);
            load(latest, weights.get(p.name()), p.name(), p.array());
            load(latest, moments.get("exp_avg." + p.name()), "exp_avg." + p.name(), optimizer.firstMoments().get(i));
            load(latest, moments.get("exp_avg_sq." + p.name()), "exp_avg_sq." + p.name(), optimizer.secondMoments().get(i));
        }
        JsonNode b = s.get("best");
        Best best = b == null ? null : new Best(b.path("step").asInt(), b.path("eval_loss").asDouble(), b.path("evaluations_since").asInt());
        return new State(s.path("step").asInt(), s.path("tokens").asLong(), s.path("seconds").asDouble(),
                s.path("loss").asDouble(), best, (ObjectNode) s.path("run"));
    }

    private static void load(Path folder, TensorInfo t, String name, NDArray into) throws IOException {
        long[] shape = into.getShape().getShape();
        if (t == null || !Arrays.equals(t.shape(), shape)) {
            throw new UserError(folder + ": checkpoint tensor " + name + (t == null ? " is missing" : " has shape "
                    + t.shapeString() + ", expected " + Arrays.toString(shape))
                    + " (was the checkpoint made with other settings or another base model?)");
        }
        // Copied in through an index rather than NDArray.set(Buffer), which makes libtorch print a
        // deprecation warning.
        try (NDArray values = into.getManager().create(FloatBuffer.wrap(TensorReader.read(t)), into.getShape())) {
            into.set(new NDIndex("..."), values);
        }
    }

    private Path latestFolder() throws IOException {
        if (!exists()) {
            throw new UserError(dir + ": no checkpoint to resume from (no " + LATEST + " file)");
        }
        Path folder = dir.resolve(Utf8File.read(dir.resolve(LATEST)).trim());
        if (!Files.isRegularFile(folder.resolve("state.json"))) {
            throw new UserError(dir.resolve(LATEST) + " names " + folder.getFileName() + ", which is incomplete");
        }
        return folder;
    }

    private void deleteAllBut(Path keep, Path keepBest) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                boolean old = name.startsWith("step-") && !p.equals(keep) || name.startsWith("best-") && !p.equals(keepBest);
                if (Files.isDirectory(p) && old) {
                    FileTrees.deleteTree(p);
                }
            }
        }
    }

    /** Removes the checkpoints (after a finished run, when they are no longer needed). */
    public void deleteAll() throws IOException {
        if (Files.isDirectory(dir)) {
            FileTrees.deleteTree(dir);
        }
    }

}
