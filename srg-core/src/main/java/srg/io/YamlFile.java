package srg.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import srg.UserError;

/**
 * Reads YAML (JSON included, its subset) into a tree. A syntax error is one line naming the
 * source, the line and the problem; SnakeYAML's own message spans several lines and repeats the
 * offending text under a caret.
 */
public final class YamlFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlFile() {}

    /** The file's tree, read through {@link Utf8File}. */
    public static JsonNode read(Path file) throws IOException {
        return parse(Utf8File.read(file), file.toString());
    }

    /** The tree of {@code text}; {@code source} names it in errors. */
    public static JsonNode parse(String text, String source) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                throw new UserError(source + ":" + (m.getProblemMark().getLine() + 1) + ": malformed YAML: " + m.getProblem()
                        + (m.getContext() == null ? "" : " (" + m.getContext() + ")"));
            }
            JsonLocation at = e.getLocation();
            throw new UserError(source + (at == null ? "" : ":" + at.getLineNr()) + ": malformed YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }
}
