package srg.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import srg.UserError;

/**
 * Turns the records of one file into behaviors through a {@link ColumnMapping}, checking what
 * every format must satisfy: a non-empty request, a known label, unique ids. Every error names
 * the file, the line and the column.
 */
final class BehaviorRows {

    private final String file;
    private final String stem;
    private final String source;
    private final ColumnMapping mapping;
    private final boolean defaultHarmful;
    private final int limit;
    private final List<Behavior> behaviors = new ArrayList<>();
    private final Map<String, Integer> idLines = new HashMap<>();

    BehaviorRows(String file, String source, ColumnMapping mapping, boolean defaultHarmful, int limit) {
        this.file = file;
        String name = java.nio.file.Path.of(file).getFileName().toString();
        int dot = name.indexOf('.');
        this.stem = dot > 0 ? name.substring(0, dot) : name;
        this.source = source == null ? stem : source;
        this.mapping = mapping;
        this.defaultHarmful = defaultHarmful;
        this.limit = limit;
    }

    /** True once {@code limit} rows have been kept. */
    boolean full() {
        return limit > 0 && behaviors.size() >= limit;
    }

    /**
     * Adds one record. {@code field} returns a column's value or null when absent; {@code column}
     * describes a column's position for error messages (e.g. "column 3 'Behavior'").
     */
    void add(int line, Function<String, String> field, Function<String, String> column) {
        if (full()) {
            return;
        }
        String text = field.apply(mapping.text());
        if (text == null || text.isBlank()) {
            throw error(line, column.apply(mapping.text()), "the request is empty");
        }
        String id = mapping.id() == null ? null : field.apply(mapping.id());
        if (mapping.id() != null && (id == null || id.isBlank())) {
            throw error(line, column.apply(mapping.id()), "the id is empty");
        }
        if (id == null) {
            id = stem + "_" + (behaviors.size() + 1);
        }
        Integer seen = idLines.putIfAbsent(id, line);
        if (seen != null) {
            throw error(line, column.apply(mapping.id()), "id '" + id + "' already used on line " + seen);
        }
        boolean harmful = defaultHarmful;
        if (mapping.label() != null) {
            String value = field.apply(mapping.label());
            Boolean parsed = value == null ? null : ColumnMapping.parseHarmful(value);
            if (parsed == null) {
                throw error(line, column.apply(mapping.label()),
                        "label '" + value + "' is neither harmful (unsafe/harmful/1/true/yes) nor benign (safe/benign/harmless/0/false/no)");
            }
            harmful = parsed;
        }
        String category = mapping.category() == null ? "" : field.apply(mapping.category());
        String context = mapping.context() == null ? null : field.apply(mapping.context());
        behaviors.add(new Behavior(id, text, category == null ? "" : category.trim(), harmful, source,
                context == null || context.isBlank() ? null : context));
    }

    List<Behavior> behaviors() {
        if (behaviors.isEmpty()) {
            throw new UserError(file + ": no rows");
        }
        return behaviors;
    }

    UserError error(int line, String column, String what) {
        return new UserError(file + ":" + line + (column == null ? "" : ", " + column) + ": " + what);
    }
}
