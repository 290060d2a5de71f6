package srg.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.data.Behavior;

/**
 * The behaviors {@code srg attack --dataset} reads: a stopgap, to be replaced by the dataset
 * loaders of the eval-harness issue ({@code srg.data}) when both land. It reads just the shapes in
 * {@code ../shared/data}: CSV with a header (HarmBench/AdvBench {@code Behavior}, StrongREJECT
 * {@code forbidden_prompt}, or a {@code prompt}/{@code instruction}/{@code goal} column), a JSON
 * list or JSONL of objects ({@code instruction}, {@code prompt}, {@code behavior} or {@code text}),
 * and plain text with one request a line.
 */
final class AttackDatasetInput {

    private static final List<String> TEXT = List.of("Behavior", "behavior", "forbidden_prompt", "prompt", "instruction", "goal", "text");
    private static final List<String> ID = List.of("BehaviorID", "behavior_id", "id");
    private static final List<String> CATEGORY = List.of("SemanticCategory", "Category", "category");
    private static final List<String> CONTEXT = List.of("ContextString", "context");

    private AttackDatasetInput() {}

    static List<Behavior> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("--dataset: no such file: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String source = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        List<Behavior> out = new ArrayList<>();
        try {
            if (name.endsWith(".csv")) {
                CsvMapper csv = new CsvMapper();
                try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class)
                        .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
                    int line = 1;
                    while (rows.hasNext()) {
                        line++;
                        out.add(behavior(rows.next()::get, file + ":" + line, source, out.size()));
                    }
                }
            } else if (name.endsWith(".json")) {
                JsonNode root = new ObjectMapper().readTree(file.toFile());
                if (root == null || !root.isArray()) {
                    throw new UserError(file + ": expected a JSON list of objects");
                }
                for (int i = 0; i < root.size(); i++) {
                    JsonNode node = root.get(i);
                    out.add(behavior(k -> text(node, k), file + " item " + (i + 1), source, out.size()));
                }
            } else if (name.endsWith(".jsonl")) {
                List<String> lines = Files.readAllLines(file);
                ObjectMapper json = new ObjectMapper();
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(lines.get(i));
                    } catch (JsonProcessingException e) {
                        throw new UserError(file + ":" + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
                    }
                    out.add(behavior(k -> text(node, k), file + ":" + (i + 1), source, out.size()));
                }
            } else if (name.endsWith(".txt")) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        out.add(new Behavior(source + "_" + out.size(), line.strip(), "", true, source, null));
                    }
                }
            } else {
                throw new UserError("--dataset " + file + ": expected .csv, .json, .jsonl or .txt");
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new UserError(file + ": no behaviors");
        }
        Set<String> ids = new HashSet<>();
        for (Behavior b : out) {
            if (!ids.add(b.id())) {
                throw new UserError(file + ": behavior id '" + b.id() + "' appears twice");
            }
        }
        return out;
    }

    private interface Field {
        String get(String key);
    }

    private static Behavior behavior(Field row, String where, String source, int index) {
        String text = first(row, TEXT);
        if (text == null || text.isBlank()) {
            throw new UserError(where + ": no request text (expected a column or field named one of " + String.join(", ", TEXT) + ")");
        }
        String id = first(row, ID);
        String context = first(row, CONTEXT);
        return new Behavior(id == null || id.isBlank() ? source + "_" + index : id, text, first(row, CATEGORY), true, source,
                context == null || context.isBlank() ? null : context);
    }

    private static String first(Field row, List<String> keys) {
        for (String k : keys) {
            String v = row.get(k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
