package srg.judge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.io.ContentHash;

/**
 * A file of labelled responses, with its content hash: training data for a
 * {@link RefusalClassifier}, which records where it came from, and one model's completions in a
 * leave-one-model-out evaluation.
 *
 * @param path the file
 * @param sha256 the SHA-256 of its bytes, in hex
 * @param rows its rows (see {@link JudgeValidation#readLabels})
 */
public record LabelFile(Path path, String sha256, List<LabelledResponse> rows) {

    /** Reads a label file; {@code by} names the column rows are grouped by, or null. */
    public static LabelFile read(Path path, String by) {
        List<LabelledResponse> rows = JudgeValidation.readLabels(path, JudgeValidation.Subset.ALL, by);
        try {
            return new LabelFile(path, ContentHash.ofFile(path), rows);
        } catch (IOException e) {
            throw new UserError("labels " + path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The file's name, which names the model in leave-one-model-out tables. */
    public String name() {
        return path.getFileName().toString();
    }
}
