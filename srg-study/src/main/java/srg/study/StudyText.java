package srg.study;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import srg.UserError;
import srg.io.YamlFile;

/**
 * A study file's text, its tree, and the line of every key and list item in it (by JSON
 * pointer), so that an error can name the line a setting is written on. Jackson's YAML parser
 * gives each token its location; the tree alone would lose them.
 */
final class StudyText {

    private static final YAMLFactory YAML = new YAMLFactory();

    static {
        YAML.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private final String source;
    private final JsonNode tree;
    private final Map<String, Integer> lines = new HashMap<>();

    private StudyText(String source, JsonNode tree) {
        this.source = source;
        this.tree = tree;
    }

    /** Parses {@code text}; {@code source} names it in errors. Malformed YAML is a one-line error with its line. */
    static StudyText parse(String text, String source) {
        JsonNode tree = YamlFile.parse(text, source);
        StudyText out = new StudyText(source, tree);
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    // Jackson reads an alias as its anchor's name, not its value: refuse it rather than misread it.
                    throw new UserError(source + ":" + p.currentTokenLocation().getLineNr() + ": YAML aliases (*"
                            + p.getText() + ") are not supported; write the values out");
                }
                if (t == JsonToken.FIELD_NAME || p.getParsingContext().inArray() && t != JsonToken.END_ARRAY) {
                    out.lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (JsonProcessingException e) {
            // Duplicate keys pass YamlFile (it keeps the last); here they are an error.
            throw new UserError(source + ":" + e.getLocation().getLineNr() + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.lines.put("", 1);
        return out;
    }

    JsonNode tree() {
        return tree;
    }

    /** The line of the key or item at {@code pointer} (e.g. {@code /training/srg/epochs}), or -1. */
    int line(String pointer) {
        return lines.getOrDefault(pointer, -1);
    }

    /** "FILE:LINE: ", or "FILE: " without a line. */
    String where(int line) {
        return source + (line > 0 ? ":" + line : "") + ": ";
    }

    /** The whole file as a section. */
    YamlSection root() {
        if (!(tree instanceof ObjectNode o)) {
            throw new UserError(source + ":1: a study file is a mapping of keys (name, models, training, eval, ...)");
        }
        return new YamlSection(this, o, "", "");
    }

    static ObjectMapper mapper() {
        return new ObjectMapper(YAML);
    }
}
