package srg.engine.model;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import srg.SettingError;
import srg.UserError;
import srg.engine.safetensors.Checkpoint;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsWriter;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;

/**
 * A point on the straight line between a model and its fine-tuned descendant: every weight is
 * {@code base + alpha * (tuned - base)}. This is WiSE-FT (Wortsman et al., CVPR 2022), which keeps
 * more of a pretrained model's behaviour out of the fine-tuning distribution than the fine-tuned
 * model does, and the model averaging that Lin et al. (EMNLP 2024) found to pay the least
 * "alignment tax" of the ways to keep a model's skills through alignment. {@code alpha = 1} is the
 * fine-tuned model, {@code 0} the base.
 *
 * <p>Both folders must hold the same tensors with the same shapes (a full fine-tune of the base,
 * not an adapter); the result takes the fine-tuned folder's config and tokenizer and its weights'
 * element type. Tensors are read and written one at a time.
 */
public final class WeightInterpolation {

    private WeightInterpolation() {}

    /**
     * Writes the interpolated model to {@code out}, a folder other than both inputs.
     *
     * @param alpha the fine-tuning's share, in (0, 1]
     */
    public static void write(Path base, Path tuned, double alpha, Path out) throws IOException {
        if (!(alpha > 0 && alpha <= 1)) {
            throw SettingError.of("alpha", "must be in (0, 1] (the share of the fine-tuning kept), got " + alpha);
        }
        for (Path input : List.of(base, tuned)) {
            if (input.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw SettingError.naming("{out} " + out + " is one of the interpolated models: write the result to another folder", "out");
            }
        }
        // Both configs first: a folder that holds no model fails here, before anything is written.
        ModelConfig.read(base.resolve("config.json"));
        ModelConfig config = ModelConfig.read(tuned.resolve("config.json"));
        Checkpoint from = Checkpoint.open(base);
        Checkpoint to = Checkpoint.open(tuned);
        checkSameTensors(from, to);
        DType dtype = commonDType(to);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (TensorInfo t : to.tensors().values()) {
            TensorInfo b = from.tensors().get(t.name());
            entries.add(new SafetensorsWriter.Entry(t.name(), t.shape(), dtype, () -> {
                float[] w = TensorReader.read(t);
                float[] w0 = TensorReader.read(b);
                for (int i = 0; i < w.length; i++) {
                    // The weighted sum rather than base + alpha * delta, so that alpha = 1 gives the tuned weights exactly.
                    w[i] = (float) ((1 - alpha) * w0[i] + alpha * w[i]);
                }
                return FloatBuffer.wrap(w);
            }));
        }
        ModelWriter.writeFolder(config.raw(), entries, out, dtype, tuned, ModelWriter.DEFAULT_SHARD_BYTES);
    }

    private static void checkSameTensors(Checkpoint base, Checkpoint tuned) {
        Set<String> onlyBase = new TreeSet<>(base.tensors().keySet());
        onlyBase.removeAll(tuned.tensors().keySet());
        Set<String> onlyTuned = new TreeSet<>(tuned.tensors().keySet());
        onlyTuned.removeAll(base.tensors().keySet());
        if (!onlyBase.isEmpty() || !onlyTuned.isEmpty()) {
            throw new UserError(String.format(Locale.ROOT,
                    "%s and %s do not hold the same tensors (only in the first: %s; only in the second: %s): "
                            + "interpolation needs a full fine-tune of the same model, not an adapter",
                    base.dir(), tuned.dir(), first(onlyBase), first(onlyTuned)));
        }
        for (TensorInfo t : tuned.tensors().values()) {
            TensorInfo b = base.tensors().get(t.name());
            if (!Arrays.equals(b.shape(), t.shape())) {
                throw new UserError("tensor " + t.name() + " has shape " + b.shapeString() + " in " + base.dir()
                        + " but " + t.shapeString() + " in " + tuned.dir());
            }
        }
    }

    /** The fine-tuned weights' element type, or F32 where they mix types. */
    private static DType commonDType(Checkpoint tuned) {
        Set<DType> types = new TreeSet<>();
        tuned.tensors().values().forEach(t -> types.add(t.dtype()));
        return types.size() == 1 ? types.iterator().next() : DType.F32;
    }

    private static String first(Set<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> list = new ArrayList<>(names);
        return list.size() <= 3 ? String.join(", ", list) : String.join(", ", list.subList(0, 3)) + ", ... (" + list.size() + ")";
    }
}
