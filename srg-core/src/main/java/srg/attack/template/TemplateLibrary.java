package srg.attack.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import srg.UserError;
import srg.io.Utf8File;
import srg.io.YamlFile;

/**
 * The role-play templates an attack can choose from: the ones written for this project
 * ({@code roleplay.yaml} beside this class) plus the user's.
 *
 * <p>User templates come from a folder or a single file. In a folder, each {@code .txt} or
 * {@code .md} file is one template named after the file, and each {@code .yaml}, {@code .yml} or
 * {@code .json} file holds a list of {@code {name, template}} entries (or a map from name to
 * template). A user template with the name of a built-in one replaces it.
 */
public final class TemplateLibrary {

    private static final String BUILT_IN = "roleplay.yaml";

    private final Map<String, Template> templates;

    private TemplateLibrary(Map<String, Template> templates) {
        this.templates = Collections.unmodifiableMap(templates);
    }

    /** The built-in templates, plus the user's from {@code userPath} when it is not null. */
    public static TemplateLibrary load(Path userPath) {
        Map<String, Template> all = new LinkedHashMap<>();
        for (Template t : builtIn()) {
            all.put(t.name(), t);
        }
        if (userPath != null) {
            Map<String, Template> user = new LinkedHashMap<>();
            for (Template t : readUser(userPath)) {
                Template previous = user.put(t.name(), t);
                if (previous != null) {
                    throw new UserError(t.source() + ": template name '" + t.name() + "' is also used in " + previous.source());
                }
            }
            all.putAll(user);
        }
        return new TemplateLibrary(all);
    }

    public static List<Template> builtIn() {
        try (InputStream in = TemplateLibrary.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN);
            }
            String source = "built-in " + BUILT_IN;
            return entries(YamlFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> names() {
        return List.copyOf(templates.keySet());
    }

    public List<Template> all() {
        return List.copyOf(templates.values());
    }

    /** The template of this name; a {@link UserError} listing the known names otherwise. */
    public Template get(String name) {
        Template t = templates.get(name);
        if (t == null) {
            throw new UserError("unknown template '" + name + "'; known: " + String.join(", ", templates.keySet()));
        }
        return t;
    }

    private static List<Template> readUser(Path path) {
        if (!Files.exists(path)) {
            throw new UserError("templates: no such file or folder: " + path);
        }
        if (!Files.isDirectory(path)) {
            return readFile(path);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UserError("templates: cannot list " + path + ": " + e.getMessage(), e);
        }
        List<Template> out = new ArrayList<>();
        for (Path f : files) {
            if (kindOf(f) != null) {
                out.addAll(readFile(f));
            }
        }
        if (out.isEmpty()) {
            throw new UserError("templates: " + path + " holds no .txt, .md, .yaml, .yml or .json template files");
        }
        return out;
    }

    private static String kindOf(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".txt") || n.endsWith(".md")) {
            return "text";
        }
        if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) {
            return "entries";
        }
        return null;
    }

    private static List<Template> readFile(Path f) {
        String kind = kindOf(f);
        if (kind == null) {
            throw new UserError(f + ": templates must be .txt, .md, .yaml, .yml or .json files");
        }
        try {
            if (kind.equals("text")) {
                String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                return List.of(new Template(name, Utf8File.read(f).strip(), f.toString()));
            }
            return entries(YamlFile.read(f), f.toString());
        } catch (IOException e) {
            throw new UserError(f + ": cannot read templates: " + e.getMessage(), e);
        }
    }

    /** A list of {name, template} objects, or a map from name to template text. */
    private static List<Template> entries(JsonNode root, String source) {
        List<Template> out = new ArrayList<>();
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                JsonNode e = root.get(i);
                String where = source + " entry " + (i + 1);
                out.add(new Template(field(e, "name", where), field(e, "template", where), source));
            }
        } else if (root != null && root.isObject()) {
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new UserError(source + ": template '" + e.getKey() + "' must be a text");
                }
                out.add(new Template(e.getKey(), e.getValue().asText(), source));
            }
        } else {
            throw new UserError(source + ": expected a list of {name, template} entries or a map from name to template");
        }
        return out;
    }

    private static String field(JsonNode entry, String name, String where) {
        JsonNode v = entry == null ? null : entry.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new UserError(where + ": field '" + name + "' is missing or not a text");
        }
        return v.asText();
    }
}
