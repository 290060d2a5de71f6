package srg.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.text.similarity.LevenshteinDistance;
import srg.SettingError;
import srg.UserError;

/**
 * One mapping of a study file, read key by key: typed values with defaults, errors that name the
 * file, the line and the key ({@code study.yaml:12: training.srg.epochs: must be at least 1}),
 * and a check that no key was left unread (a misspelt key is an error, not a silent default).
 */
final class YamlSection {

    private final StudyText text;
    private final ObjectNode node;
    private final String pointer;
    private final String key;
    private final Set<String> read = new LinkedHashSet<>();

    YamlSection(StudyText text, ObjectNode node, String pointer, String key) {
        this.text = text;
        this.node = node;
        this.pointer = pointer;
        this.key = key;
    }

    /** The dotted key of {@code name} in this section, e.g. {@code training.srg.epochs}. */
    String keyOf(String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    /** A user error at {@code name}'s line (or the section's, when the key is absent). */
    UserError error(String name, String problem) {
        int line = text.line(pointer + "/" + name);
        if (line < 0) {
            line = text.line(pointer);
        }
        return new UserError(text.where(line) + keyOf(name) + ": " + problem);
    }

    /** A user error about the section itself. */
    UserError error(String problem) {
        return new UserError(text.where(text.line(pointer)) + (key.isEmpty() ? "" : key + ": ") + problem);
    }

    /** Whether {@code name} is set (it then counts as read). */
    boolean has(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    private JsonNode value(String name) {
        read.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** A sub-mapping, or null when absent. */
    YamlSection section(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw error(name, "must be a mapping of keys to values");
        }
        return new YamlSection(text, o, pointer + "/" + name, keyOf(name));
    }

    String string(String name, String fallback) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw error(name, "must be a single value, not a list or mapping");
        }
        return v.asText();
    }

    /**
     * A word of a setting whose words include {@code off}: YAML 1.1 reads an unquoted
     * {@code off} (or {@code no}) as false, which means {@code off} here.
     */
    String word(String name, String fallback) {
        JsonNode v = node.get(name);
        if (v != null && v.isBoolean()) {
            read.add(name);
            return v.asBoolean() ? "on" : "off";
        }
        return string(name, fallback);
    }

    String required(String name, String what) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw error(name, "missing: " + what);
        }
        return v;
    }

    long integer(String name, long fallback) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        try {
            return Long.parseLong(v.asText().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(name, "must be a whole number, got '" + v.asText() + "'");
        }
    }

    int integer(String name, int fallback) {
        long v = integer(name, (long) fallback);
        if (v != (int) v) {
            throw error(name, "is out of range: " + v);
        }
        return (int) v;
    }

    double number(String name, double fallback) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            // YAML 1.1 reads 1e-4 (no dot) as text: take it as the number it means.
            return Double.parseDouble(v.asText().trim());
        } catch (NumberFormatException e) {
            throw error(name, "must be a number, got '" + v.asText() + "'");
        }
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = value(name);
        if (v == null) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return switch (v.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(name, "must be true or false, got '" + v.asText() + "'");
        };
    }

    /** A list of strings; a single value is a list of one. Null when absent. */
    List<String> strings(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode() || e.isNull()) {
                    throw error(name, "must be a list of values");
                }
                out.add(e.asText());
            }
        } else if (v.isValueNode()) {
            out.add(v.asText());
        } else {
            throw error(name, "must be a value or a list of values");
        }
        return out;
    }

    /** A mapping of names to values, in file order. Empty when absent. */
    Map<String, String> map(String name) {
        JsonNode v = value(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            throw error(name, "must be a mapping of names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw error(name + "." + e.getKey(), "must be a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** The raw mapping (for config.json fields passed on as they are). */
    ObjectNode object(String name) {
        JsonNode v = value(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw error(name, "must be a mapping");
        }
        return o;
    }

    /**
     * Builds a settings record; a {@link SettingError} it throws is shown at the key the setting
     * is written as ({@code settingKeys} maps settings whose key differs, e.g. {@code dataset}
     * is {@code data.eval.harmful}; other settings are keys of this section).
     */
    <T> T build(Supplier<T> settings, Map<String, String> settingKeys) {
        try {
            return settings.get();
        } catch (SettingError e) {
            String mapped = settingKeys.get(e.setting());
            if (mapped != null) {
                throw new UserError(text.where(text.line("/" + mapped.replace('.', '/'))) + e.message(s -> mapped), e);
            }
            String own = e.setting();
            int line = text.line(pointer + "/" + own);
            throw new UserError(text.where(line < 0 ? text.line(pointer) : line) + e.message(this::keyOf), e);
        }
    }

    /** Fails on a key that was never read: a misspelling, or a key this section does not take. */
    void done() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                throw error(name, "unknown key" + suggestion(name) + "; " + (key.isEmpty() ? "the file" : key) + " takes "
                        + String.join(", ", read));
            }
        }
    }

    /** A known key within two edits of {@code name}, as " (did you mean X?)". */
    private String suggestion(String name) {
        LevenshteinDistance distance = new LevenshteinDistance(2);
        for (String known : read) {
            if (distance.apply(name, known) >= 0) {
                return " (did you mean " + known + "?)";
            }
        }
        return "";
    }
}
