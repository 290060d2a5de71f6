package srg.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a JSONL file line by line, handing each non-blank line over parsed, or with why it is not JSON.
 * Bytes that are not UTF-8 stop the read with an error naming the file and line ({@link Utf8File}).
 */
public final class JsonLines {

    /** Sees one non-blank line: its 1-based number and either the parsed value or the parse error. */
    @FunctionalInterface
    public interface Visitor {
        void line(int number, JsonNode value, String error);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    public static void read(Path file, Visitor visitor) throws IOException {
        try (BufferedReader in = Utf8File.open(file)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
                    visitor.line(number, null, "not valid JSON" + (column > 0 ? " at column " + column : "")
                            + " (" + e.getOriginalMessage() + ")");
                    continue;
                }
                visitor.line(number, node, null);
            }
        }
    }
}
