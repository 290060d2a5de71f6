package srg.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import srg.SettingError;
import srg.engine.model.Precision;
import srg.engine.train.TrainCheckpoint;
import srg.io.RunLock;

/**
 * Whether a training run may write into its output folder (the setting {@code out}) without losing
 * anything: a folder where a run was begun is continued (a rerun of the same training, or
 * {@code resume}; the trainer then checks that the settings and data are the same); any other
 * folder must be new or empty. A study's training stage owns its folder and needs none of this.
 */
public final class TrainFolder {

    private TrainFolder() {}

    /**
     * The matmul format to train in: {@code computeDtype} (the setting {@code compute_dtype}:
     * f32, bf16 or auto), or, where it is not set and a run was begun in {@code out}, the format
     * that run began in, so that continuing it without naming one keeps its numbers (the default's
     * choice may differ, e.g. for a run begun before BF16 existed).
     */
    public static Precision.Choice precision(Path out, String computeDtype) throws IOException {
        TrainCheckpoint begun = new TrainCheckpoint(out);
        if (computeDtype == null && begun.begun()) {
            return new Precision.Choice(begun.begunPrecision(), "the dtype of the run begun in " + out);
        }
        return Precision.choose(computeDtype, "compute_dtype");
    }

    /**
     * Whether to continue the run begun in {@code out}; false for a new or empty folder. Refuses a
     * folder that holds anything else, and {@code resume} where no run was begun.
     */
    public static boolean continues(Path out, boolean resume) throws IOException {
        if (new TrainCheckpoint(out).begun()) {
            return true;
        }
        if (resume) {
            throw SettingError.naming("{resume}: " + out + " holds no run to continue (no checkpoints folder); leave out {resume} "
                    + "to start one", "resume");
        }
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.anyMatch(p -> !RunLock.isLockFile(p))) {
                throw SettingError.naming("{out} " + out + (Files.exists(out.resolve(Training.SUMMARY))
                        ? " holds a finished run (" + Training.SUMMARY + "); choose a new folder"
                        : " is not empty; choose a new or empty folder"), "out");
            }
        }
        return false;
    }
}
