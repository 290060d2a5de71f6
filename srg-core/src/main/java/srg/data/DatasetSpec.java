package srg.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import srg.UserError;

/**
 * Where a dataset is and how to read it, as written on the command line:
 * {@code PATH[?key=value&key=value...]}. Keys: {@code format} (see {@link DatasetFormat}; by default
 * it is detected from the extension and header), the column mapping {@code id}, {@code text},
 * {@code category}, {@code context}, {@code label}, {@code harmful=true|false} for files without a
 * label column, and {@code limit=N} to keep the first N rows.
 *
 * <p>Examples: {@code harmbench_behaviors_text_test.csv},
 * {@code mine.csv?text=question&category=topic&harmful=false},
 * {@code chats.jsonl?format=jsonl&text=prompt}.
 *
 * @param path the file
 * @param format the layout, or null to detect it
 * @param mapping column overrides applied on top of the format's preset
 * @param harmful the harmful flag for rows without a label column, or null to let the caller decide
 * @param limit the most rows to keep, or 0 for all
 */
public record DatasetSpec(Path path, DatasetFormat format, ColumnMapping mapping, Boolean harmful, int limit) {

    private static final Set<String> KEYS = Set.of("format", "id", "text", "category", "context", "label", "harmful", "limit");

    public static DatasetSpec of(Path path) {
        return new DatasetSpec(path, null, ColumnMapping.NONE, null, 0);
    }

    public static DatasetSpec parse(String spec) {
        int q = spec.indexOf('?');
        String file = q < 0 ? spec : spec.substring(0, q);
        if (file.isBlank()) {
            throw new UserError("dataset '" + spec + "': no file before '?'");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : spec.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (eq < 0 || !KEYS.contains(key)) {
                    throw new UserError("dataset '" + spec + "': bad option '" + pair + "'; use key=value with key one of " + KEYS);
                }
                pairs.put(key, pair.substring(eq + 1));
            }
        }
        DatasetFormat format = pairs.containsKey("format") ? DatasetFormat.parse(pairs.get("format"), "dataset '" + spec + "'") : null;
        Boolean harmful = null;
        if (pairs.containsKey("harmful")) {
            harmful = ColumnMapping.parseHarmful(pairs.get("harmful"));
            if (harmful == null) {
                throw new UserError("dataset '" + spec + "': harmful= takes true or false, got '" + pairs.get("harmful") + "'");
            }
        }
        int limit = 0;
        if (pairs.containsKey("limit")) {
            try {
                limit = Integer.parseInt(pairs.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                throw new UserError("dataset '" + spec + "': limit= takes a positive whole number, got '" + pairs.get("limit") + "'");
            }
        }
        return new DatasetSpec(Path.of(file), format, ColumnMapping.fromPairs(pairs), harmful, limit);
    }
}
