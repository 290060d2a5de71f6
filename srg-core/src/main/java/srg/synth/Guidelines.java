package srg.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import srg.SettingError;
import srg.UserError;
import srg.io.ContentHash;
import srg.io.Utf8File;
import srg.io.YamlFile;

/**
 * A set of guidelines the teacher reasons with, read from YAML:
 *
 * <pre>
 * name: my-set            # optional; the file name otherwise
 * guidelines:
 *   - name: intent        # one word: the label of the reasoning step
 *     question: What is really being asked? ...
 *     example: The text is base64; decoded, it asks ...
 *     keywords: [intent]  # optional: words that show the step was taken (default: the name)
 *     required: true      # optional: the filter demands the step (default true)
 * </pre>
 *
 * The default set ({@code guidelines.yaml} beside this class) was written for this project; its
 * names are those of SafetyWorld's teacher. {@link #sha256()} identifies a set's content in the
 * provenance of every synthesized sample.
 *
 * @param name the set's name
 * @param guidelines in the order the teacher follows them
 * @param source where the set came from (a file, or "built-in")
 */
public record Guidelines(String name, List<Guideline> guidelines, String source) {

    public static final String DEFAULT_RESOURCE = "guidelines.yaml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Set<String> TOP_KEYS = Set.of("name", "guidelines");
    private static final Set<String> GUIDELINE_KEYS = Set.of("name", "question", "example", "keywords", "required");

    public Guidelines {
        guidelines = List.copyOf(guidelines);
    }

    /** The default set written for this project. */
    public static Guidelines defaults() {
        return parse(defaultsYaml(), "built-in " + DEFAULT_RESOURCE);
    }

    /** The default set's YAML text, comments included. */
    public static String defaultsYaml() {
        try (InputStream in = Guidelines.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default guidelines are missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a guideline file; every mistake is a {@link UserError} naming the file and the key. */
    public static Guidelines load(Path file) {
        String text;
        try {
            text = Utf8File.read(file);
        } catch (NoSuchFileException e) {
            throw new UserError("guidelines " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("guidelines " + file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(text, file.toString());
    }

    /** Reads guidelines from YAML text; {@code source} names it in errors. */
    public static Guidelines parse(String yaml, String source) {
        JsonNode root = YamlFile.parse(yaml, source);
        if (root == null || !root.isObject()) {
            throw new UserError(source + ": expected a mapping with a 'guidelines' list");
        }
        unknownKeys(source, "", root, TOP_KEYS);
        String name = root.has("name") ? text(source, "name", root.get("name")) : stem(source);
        JsonNode list = root.get("guidelines");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UserError(source + ": guidelines: expected a non-empty list of {name, question, example}");
        }
        List<Guideline> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "guidelines[" + i + "]";
            JsonNode g = list.get(i);
            if (!g.isObject()) {
                throw new UserError(source + ": " + at + ": expected a mapping with name, question and example");
            }
            unknownKeys(source, at + ".", g, GUIDELINE_KEYS);
            String gName = required(source, at, g, "name");
            if (!NAME.matcher(gName).matches()) {
                throw new UserError(source + ": " + at + ".name: '" + gName + "' is not one word (letters, digits, - and _, starting with a letter); "
                        + "it labels a reasoning step");
            }
            if (!names.add(gName)) {
                throw new UserError(source + ": " + at + ".name: '" + gName + "' is used twice");
            }
            List<String> keywords = new ArrayList<>();
            JsonNode kw = g.get("keywords");
            if (kw != null && !kw.isNull()) {
                if (!kw.isArray()) {
                    throw new UserError(source + ": " + at + ".keywords: expected a list of words");
                }
                for (int k = 0; k < kw.size(); k++) {
                    String word = text(source, at + ".keywords[" + k + "]", kw.get(k));
                    if (word.isBlank()) {
                        throw new UserError(source + ": " + at + ".keywords[" + k + "]: empty");
                    }
                    keywords.add(word.strip());
                }
            }
            boolean req = true;
            JsonNode r = g.get("required");
            if (r != null && !r.isNull()) {
                if (!r.isBoolean()) {
                    throw new UserError(source + ": " + at + ".required: expected true or false, got '" + r.asText() + "'");
                }
                req = r.booleanValue();
            }
            out.add(new Guideline(gName, required(source, at, g, "question"), required(source, at, g, "example"), keywords, req));
        }
        return new Guidelines(name, out, source);
    }

    private static String required(String source, String at, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new UserError(source + ": " + at + "." + key + ": missing");
        }
        String s = text(source, at + "." + key, v).strip();
        if (s.isEmpty()) {
            throw new UserError(source + ": " + at + "." + key + ": empty");
        }
        return s;
    }

    private static String text(String source, String at, JsonNode v) {
        if (!v.isValueNode()) {
            throw new UserError(source + ": " + at + ": expected text, got a " + (v.isArray() ? "list" : "mapping"));
        }
        return v.asText();
    }

    private static void unknownKeys(String source, String prefix, JsonNode node, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new UserError(source + ": " + prefix + key + ": unknown key; expected " + known.stream().sorted().toList());
            }
        }
    }

    private static String stem(String source) {
        String file = Path.of(source.replace("built-in ", "")).getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    public List<String> names() {
        return guidelines.stream().map(Guideline::name).toList();
    }

    /** The guidelines the filter demands. */
    public List<Guideline> requiredGuidelines() {
        return guidelines.stream().filter(Guideline::required).toList();
    }

    /**
     * The same set with exactly {@code names} required (the {@code --require} flag); an unknown
     * name is a user error listing the set's names.
     */
    public Guidelines requiring(Collection<String> names) {
        for (String n : names) {
            if (!names().contains(n)) {
                throw SettingError.of("require", "no guideline '" + n + "' in " + source + "; it has " + names());
            }
        }
        List<Guideline> out = guidelines.stream()
                .map(g -> new Guideline(g.name(), g.question(), g.example(), g.keywords(), names.contains(g.name())))
                .toList();
        return new Guidelines(name, out, source);
    }

    /**
     * A SHA-256 of the set's content (names, questions, examples, keywords, required flags, in
     * order), independent of YAML layout and comments: the set's identity in provenance.
     */
    public String sha256() {
        List<String> parts = new ArrayList<>();
        for (Guideline g : guidelines) {
            parts.add(g.name());
            parts.add(g.question());
            parts.add(g.example());
            parts.add(String.join("\u0000", g.keywords()));
            parts.add(Boolean.toString(g.required()));
        }
        return ContentHash.of(parts);
    }
}
