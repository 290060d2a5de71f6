package srg.sft;

import java.nio.file.Path;
import java.util.List;

/**
 * The conversations of one data file.
 *
 * @param format the format detected for the file
 * @param skipped bad records left out (only with skip-bad; otherwise the first one is an error)
 * @param skipReasons the first few reasons for skipping, "file:line: why"
 */
public record SftData(Path file, SftFormat format, List<SftConversation> records, int skipped, List<String> skipReasons) {

    public SftData {
        records = List.copyOf(records);
        skipReasons = List.copyOf(skipReasons);
    }

    public int size() {
        return records.size();
    }
}
