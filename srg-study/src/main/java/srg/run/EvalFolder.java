package srg.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import srg.SettingError;
import srg.eval.ResultsJson;
import srg.io.RunLock;
import srg.probe.HiddenStateStore;
import srg.store.RunStore;

/**
 * Whether an evaluation may write into its run folder (the setting {@code out}) without losing
 * anything: the folder must be new, empty or srg's own, and a folder that already holds an
 * evaluation must have been made with the same settings (then the run resumes it). Otherwise the
 * evaluation is refused, unless {@code force}. The settings are kept in the run store, so that
 * even a run killed before it wrote results.json is recognised. srg eval's policy; a study's eval
 * stage owns its folder and needs none.
 */
public final class EvalFolder implements Evaluation.FolderCheck {

    /** The run-store meta key of the settings of the folder's eval. */
    private static final String SETTINGS = "eval_settings";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final boolean force;

    /**
     * @param out the run folder
     * @param force write there whatever it holds, and make this run's settings the folder's
     */
    public EvalFolder(Path out, boolean force) {
        this.out = out;
        this.force = force;
    }

    /** Refuses a folder that holds files but no srg run store or hidden states, unless forced. */
    public void checkContents() throws IOException {
        if (force || Files.exists(out.resolve(RunStore.FILE_NAME)) || Files.isDirectory(out.resolve(HiddenStateStore.DIR))) {
            return;
        }
        List<String> found;
        try (Stream<Path> entries = Files.list(out)) {
            found = entries.filter(p -> !RunLock.isLockFile(p)).map(p -> p.getFileName().toString()).sorted().limit(3).toList();
        }
        if (!found.isEmpty()) {
            throw SettingError.naming("{out} " + out + " holds files (" + String.join(", ", found) + (found.size() == 3 ? ", ..." : "")
                    + ") but no srg run store (" + RunStore.FILE_NAME + "); choose a new or empty folder, or pass {force}"
                    + " to write run.db, results.json and report.html there", "out", "force");
        }
    }

    /**
     * Refuses to mix this run into a folder whose eval had other settings, unless forced; then
     * records this run's settings as the folder's.
     */
    @Override
    public void check(RunStore store, ObjectNode config) throws IOException {
        // Through text and back, so that numbers compare as they will when read from the store.
        JsonNode now = JSON.readTree(settings(config).toString());
        JsonNode before = force ? null : previous(store);
        if (before != null) {
            List<String> differences = differences(before, now);
            if (!differences.isEmpty()) {
                throw SettingError.naming("{out} " + out + " holds an eval with other settings (" + String.join("; ", differences)
                        + "), whose results are kept: use a new {out} folder, or pass {force} to make this run the folder's"
                        + " (results.json and report.html are then replaced; run.db keeps every earlier sample)", "out", "force");
            }
        }
        store.putMeta(SETTINGS, now.toString());
    }

    /**
     * What decides the results: the configuration less when and how the run was started, the
     * models by name (their server, timeout or key do not change what is stored under the name)
     * and the datasets by content.
     */
    private static ObjectNode settings(ObjectNode config) {
        ObjectNode s = config.deepCopy();
        // Who ran it, when and where; and the study it belongs to (srg eval's own runs belong to none).
        s.remove(List.of("command", "srg_version", "started", "run_dir", "study"));
        ArrayNode models = s.putArray("models");
        config.path("models").forEach(m -> models.addObject().put("id", m.path("id").asText()).put("kind", m.path("kind").asText()));
        s.putObject("judge").put("id", config.path("judge").path("id").asText());
        if (s.get("sampling") instanceof ObjectNode sampling) {
            sampling.remove("key"); // made of the other sampling fields
        }
        for (String sets : List.of("datasets", "benign")) {
            s.path(sets).forEach(d -> {
                if (d instanceof ObjectNode dataset) {
                    dataset.remove("path");
                }
            });
        }
        return s;
    }

    /** The settings recorded in the folder, or those of its results.json (a folder from before they were recorded). */
    private JsonNode previous(RunStore store) throws IOException {
        String recorded = store.meta(SETTINGS);
        if (recorded != null) {
            return JSON.readTree(recorded);
        }
        Path results = out.resolve(ResultsJson.FILE_NAME);
        if (!Files.isRegularFile(results)) {
            return null;
        }
        JsonNode json;
        try {
            json = ResultsJson.read(results);
        } catch (JsonProcessingException e) {
            throw SettingError.naming(results + ": not JSON, so its settings cannot be compared with this run's ("
                    + e.getOriginalMessage() + "); use a new {out} folder, or pass {force} to replace it", "out", "force");
        }
        return json.get("config") instanceof ObjectNode config ? settings(config) : null;
    }

    /** What differs, as "name old -> new" for values, the name alone for lists; objects are compared field by field. */
    private static List<String> differences(JsonNode before, JsonNode now) {
        List<String> out = new ArrayList<>();
        differences("", before, now, out);
        return out;
    }

    private static void differences(String prefix, JsonNode before, JsonNode now, List<String> out) {
        Set<String> names = new LinkedHashSet<>();
        now.fieldNames().forEachRemaining(names::add);
        before.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = before.get(name);
            JsonNode b = now.get(name);
            if (a != null && a.equals(b)) {
                continue;
            }
            if (a != null && b != null && a.isObject() && b.isObject()) {
                differences(prefix + name + ".", a, b, out);
            } else if ((a == null || a.isValueNode()) && (b == null || b.isValueNode())) {
                out.add(prefix + name + " " + text(a) + " -> " + text(b));
            } else {
                out.add(prefix + name);
            }
        }
    }

    private static String text(JsonNode v) {
        return v == null ? "(none)" : v.asText();
    }
}
