package srg.attack.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.UserError;
import srg.io.Utf8File;
import srg.io.YamlFile;

/**
 * One demonstration for few-shot and many-shot attacks: a request and a compliant answer.
 *
 * <p>Files: JSONL with one object a line, or a JSON or YAML list of objects. An object is either
 * {@code {"prompt": ..., "response": ...}} or {@code {"messages": [{"role": "user", ...},
 * {"role": "assistant", ...}]}}. The project ships no demonstrations: harmful answers are the
 * user's material, not ours.
 *
 * @param prompt the request
 * @param response the answer that complies with it
 */
public record Demonstration(String prompt, String response) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a demonstration file; errors name the file and line (JSONL) or entry. */
    public static List<Demonstration> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("demonstrations: no such file: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Demonstration> out = new ArrayList<>();
        try {
            if (name.endsWith(".jsonl")) {
                List<String> lines = Utf8File.lines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        String where = file + ":" + (i + 1);
                        out.add(of(parseLine(lines.get(i), where), where));
                    }
                }
            } else if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = YamlFile.read(file);
                if (root == null || !root.isArray()) {
                    throw new UserError(file + ": expected a list of demonstrations");
                }
                for (int i = 0; i < root.size(); i++) {
                    out.add(of(root.get(i), file + " entry " + (i + 1)));
                }
            } else {
                throw new UserError(file + ": demonstrations must be .jsonl, .json, .yaml or .yml");
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot read demonstrations: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UserError(file + ": no demonstrations");
        }
        return out;
    }

    private static JsonNode parseLine(String line, String where) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserError(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Demonstration of(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new UserError(where + ": expected an object with prompt and response, or messages");
        }
        JsonNode messages = node.get("messages");
        if (messages != null) {
            String user = null;
            String assistant = null;
            for (JsonNode m : messages) {
                String role = m.path("role").asText();
                if (role.equals("user") && user == null) {
                    user = m.path("content").asText(null);
                } else if (role.equals("assistant") && user != null && assistant == null) {
                    assistant = m.path("content").asText(null);
                }
            }
            if (user == null || assistant == null) {
                throw new UserError(where + ": field 'messages' needs a user message followed by an assistant message");
            }
            return new Demonstration(user, assistant);
        }
        return new Demonstration(text(node, "prompt", where), text(node, "response", where));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new UserError(where + ": field '" + field + "' is missing or not a text");
        }
        return v.asText();
    }
}
