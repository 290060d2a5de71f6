package srg.sft;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.SettingError;
import srg.UserError;
import srg.io.JsonLines;
import srg.io.Utf8File;
import srg.chat.Conversation;

/**
 * Reads supervised fine-tuning data: JSONL (one conversation a line) or a JSON array of records,
 * in any {@link SftFormat}. The format is detected per file from its first record, and every
 * record must then be in it. A bad record is an error naming the file and line, or, with
 * skip-bad, is counted and left out.
 */
public final class SftReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many skip reasons to keep for the report. */
    private static final int KEEP_REASONS = 5;

    private final Path file;
    private final boolean skipBad;
    private final List<SftConversation> records = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();
    private SftFormat format;
    private int skipped;

    private SftReader(Path file, boolean skipBad) {
        this.file = file;
        this.skipBad = skipBad;
    }

    public static SftData read(Path file, boolean skipBad) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such data file");
        }
        SftReader reader = new SftReader(file, skipBad);
        if (firstNonBlank(file) == '[') {
            reader.readArray();
        } else {
            reader.readLines();
        }
        if (reader.records.isEmpty()) {
            throw new UserError(file + ": no usable conversations"
                    + (reader.skipped > 0 ? " (" + reader.skipped + " bad records skipped; first: "
                            + reader.reasons.get(0) + ")" : ""));
        }
        return new SftData(file, reader.format, reader.records, reader.skipped, reader.reasons);
    }

    private static int firstNonBlank(Path file) throws IOException {
        try (Reader r = Utf8File.open(file)) {
            int c;
            while ((c = r.read()) >= 0) {
                if (!Character.isWhitespace(c) && c != '\uFEFF') {
                    return c;
                }
            }
            return -1;
        }
    }

    private void readLines() throws IOException {
        JsonLines.read(file, (number, node, error) -> {
            if (error != null) {
                bad(number, error);
            } else {
                accept(number, node);
            }
        });
    }

    private void readArray() throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(Utf8File.open(file))) {
            try {
                parser.nextToken(); // [
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == null) {
                        throw new UserError(file + ": the JSON array is not closed");
                    }
                    int line = parser.currentTokenLocation().getLineNr();
                    accept(line, JSON.readTree(parser));
                }
            } catch (JsonProcessingException e) {
                // A syntax error in one element ruins the rest of the array: no skipping here.
                throw new UserError(file + ":" + e.getLocation().getLineNr() + ": not valid JSON ("
                        + e.getOriginalMessage() + ")");
            }
        }
    }

    private void accept(int line, JsonNode node) {
        SftFormat detected = SftFormat.detect(node);
        if (detected == null) {
            bad(line, node != null && node.isObject()
                    ? "not a conversation: expected \"messages\" (openai), \"conversations\" (sharegpt) or "
                            + "\"instruction\" and \"output\" (alpaca), found keys " + keys(node)
                    : "expected a JSON object");
            return;
        }
        if (format == null) {
            format = detected;
        } else if (detected != format) {
            bad(line, "a " + detected.wireName() + " record in a " + format.wireName()
                    + " file (the first record decided the format; expected " + format.identifyingKeys() + ")");
            return;
        }
        try {
            Conversation c = format.read(node);
            records.add(new SftConversation(line, c));
        } catch (SftFormat.BadRecord e) {
            bad(line, e.getMessage());
        }
    }

    private void bad(int line, String why) {
        String message = file + ":" + line + ": " + why;
        if (!skipBad) {
            throw SettingError.hint(message, "skip_bad", "leaves bad lines out");
        }
        skipped++;
        if (reasons.size() < KEEP_REASONS) {
            reasons.add(message);
        }
    }

    private static String keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }
}
