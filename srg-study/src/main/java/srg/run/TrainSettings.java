package srg.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import srg.SettingError;
import srg.engine.safetensors.DType;
import srg.engine.train.LengthPolicy;
import srg.engine.train.TrainConfig;

/**
 * A training recipe: the optimizer's settings ({@link TrainConfig}) and what becomes of the data
 * and the weights, as srg train's flags and a study's {@code training} section give it.
 *
 * @param config mode, LoRA shape, epochs, learning rate, batches, seed...
 * @param maxSeqLen the longest sequence in tokens (pretraining: the packed length)
 * @param longPolicy what becomes of longer sequences
 * @param dtype the weights of a full or merged checkpoint
 * @param merge LoRA: also write base + adapter merged into {@code merged/}
 * @param keepCheckpoints keep {@code checkpoints/} after the run ends
 */
public record TrainSettings(TrainConfig config, int maxSeqLen, LengthPolicy longPolicy, DType dtype, boolean merge,
        boolean keepCheckpoints) {

    public TrainSettings {
        if (maxSeqLen < 2) {
            throw SettingError.of("max_seq_len", "must be at least 2, got " + maxSeqLen);
        }
        if (merge && config.mode() == TrainConfig.Mode.FULL) {
            throw SettingError.of("merge", "applies to LoRA; full fine-tuning already writes a full checkpoint");
        }
    }

    /** What decides the trained weights: the optimizer's settings, the length and the dtype. */
    public ObjectNode resultDefiningJson() {
        ObjectNode o = config.resultDefiningJson();
        o.put("max_seq_len", maxSeqLen);
        o.put("long", longPolicy.name().toLowerCase(java.util.Locale.ROOT));
        o.put("dtype", dtype.name().toLowerCase(java.util.Locale.ROOT));
        o.put("merge", merge);
        return o;
    }
}
