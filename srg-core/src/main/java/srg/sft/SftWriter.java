package srg.sft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
                stream.write(line(r, format, source).getBytes(StandardCharsets.UTF_8));
                stream.write('\n');
            }
        });
    }

    /**
     * The JSONL text {@link #write} would write, in memory: for data made in memory whose contents
     * key a stage before it is written (SafetyWorld's training sets).
     */
    public static String jsonl(List<SftConversation> records, SftFormat format, Path source) {
        StringBuilder out = new StringBuilder();
        for (SftConversation r : records) {
            out.append(line(r, format, source)).append('\n');
        }
        return out.toString();
    }

    private static String line(SftConversation r, SftFormat format, Path source) {
        try {
            return JSON.writeValueAsString(format.write(r.conversation()));
        } catch (SftFormat.BadRecord e) {
            throw new UserError(source + ":" + r.line() + ": cannot be written as " + format.wireName() + ": "
                    + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
