package srg.sft;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.io.AtomicFiles;

/**
 * Writes conversations as JSONL in one {@link SftFormat}, for LLaMA-Factory, TRL or Axolotl.
 * The file appears whole or not at all.
 */
public final class SftWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SftWriter() {}

    /** Writes every record; a conversation the format cannot hold is an error naming its source line. */
    public static void write(SftData data, SftFormat format, Path out) throws IOException {
        write(data.records(), format, out, data.file());
    }

    static void write(List<SftConversation> records, SftFormat format, Path out, Path source) throws IOException {
        AtomicFiles.write(out, stream -> {
            for (SftConversation r : records) {
                String line;
                try {
                    line = JSON.writeValueAsString(format.write(r.conversation()));
                } catch (SftFormat.BadRecord e) {
                    throw new UserError(source + ":" + r.line() + ": cannot be written as " + format.wireName() + ": "
                            + e.getMessage());
                }
                stream.write(line.getBytes(StandardCharsets.UTF_8));
                stream.write('\n');
            }
        });
    }
}
