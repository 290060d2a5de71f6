package srg.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import srg.UserError;
import srg.io.JsonLines;

/**
 * One supervised example as {@code srg synth} writes it: a JSONL line in the OpenAI messages shape
 * that TRL, LLaMA-Factory, Axolotl and {@code srg train} read, with the provenance in a
 * {@code metadata} field they ignore:
 * {@code {"messages": [{"role": "user", ...}, {"role": "assistant", ...}], "metadata": {...}}}.
 *
 * @param query the user message (the bare query: no guidelines, no system prompt)
 * @param target the assistant message (reasoning and answer for SRG, the answer alone for RT)
 * @param metadata provenance: query id, source, category, harmful, teacher, guideline-set hash, seed...
 */
public record SftRecord(String query, String target, ObjectNode metadata) {

    static final ObjectMapper JSON = new ObjectMapper();

    public SftRecord {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(metadata, "metadata");
    }

    public ObjectNode toJson() {
        ObjectNode line = JSON.createObjectNode();
        ArrayNode messages = line.putArray("messages");
        messages.addObject().put("role", "user").put("content", query);
        messages.addObject().put("role", "assistant").put("content", target);
        line.set("metadata", metadata);
        return line;
    }

    public boolean harmful() {
        return metadata.path("harmful").asBoolean();
    }

    /** Reads a file of such lines; a line of another shape is a user error naming the file and line. */
    public static List<SftRecord> read(Path file) {
        List<SftRecord> out = new ArrayList<>();
        try {
            JsonLines.read(file, (n, node, error) -> {
                if (error != null) {
                    throw new UserError(file + ":" + n + ": " + error);
                }
                out.add(parse(file, n, node));
            });
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        return out;
    }

    private static SftRecord parse(Path file, int n, JsonNode node) {
        JsonNode messages = node.path("messages");
        if (!messages.isArray() || messages.size() != 2 || !"user".equals(messages.get(0).path("role").asText())
                || !"assistant".equals(messages.get(1).path("role").asText())
                || !messages.get(0).path("content").isTextual() || !messages.get(1).path("content").isTextual()) {
            throw new UserError(file + ":" + n + ": messages: expected one user and one assistant message with text content, as SRG synthesis writes them");
        }
        if (!node.path("metadata").isObject()) {
            throw new UserError(file + ":" + n + ": metadata: missing; expected the provenance object SRG synthesis writes");
        }
        return new SftRecord(messages.get(0).get("content").asText(), messages.get(1).get("content").asText(),
                (ObjectNode) node.get("metadata"));
    }
}
