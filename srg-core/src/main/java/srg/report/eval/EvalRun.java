package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import srg.UserError;
import srg.eval.ResultsJson;
import srg.report.RunFolder;

/**
 * One run's {@code results.json}, as the report sections read it.
 *
 * @param run the folder
 * @param results the parsed file
 */
record EvalRun(RunFolder run, JsonNode results) {

    /** One model of one run, labelled for legends: the model id, prefixed by the run when several are compared. */
    record ModelEntry(String label, EvalRun run, String model, JsonNode node) {}

    /** Reads the runs that have a results.json; others are skipped. */
    static List<EvalRun> read(List<RunFolder> runs) {
        List<EvalRun> out = new ArrayList<>();
        for (RunFolder r : runs) {
            Path file = r.path().resolve(ResultsJson.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                JsonNode json = ResultsJson.read(file);
                if (!ResultsJson.SCHEMA.equals(json.path("schema").asText())) {
                    throw new UserError(file + ": not the results of an srg evaluation (schema '" + json.path("schema").asText() + "')");
                }
                out.add(new EvalRun(r, json));
            } catch (IOException e) {
                throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    static List<ModelEntry> models(List<EvalRun> runs) {
        List<ModelEntry> out = new ArrayList<>();
        for (EvalRun run : runs) {
            for (Iterator<Map.Entry<String, JsonNode>> it = run.results.path("models").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String label = runs.size() > 1 ? run.run.label() + " · " + e.getKey() : e.getKey();
                out.add(new ModelEntry(label, run, e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Whether some attack of some model has the object field {@code field} (reasoning, outcomes_at_1...): a section shows only then. */
    static boolean anyAttackHas(List<ModelEntry> models, String field) {
        for (ModelEntry m : models) {
            for (JsonNode a : m.node.path("attacks")) {
                if (a.path(field).isObject()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Attack names in order of first appearance across models. */
    static List<String> attacks(List<ModelEntry> models) {
        List<String> out = new ArrayList<>();
        for (ModelEntry m : models) {
            m.node.path("attacks").fieldNames().forEachRemaining(a -> {
                if (!out.contains(a)) {
                    out.add(a);
                }
            });
        }
        return out;
    }

    /** N of a run (the largest k with an ASR). */
    static int maxK(JsonNode attack) {
        int n = 0;
        for (Iterator<String> it = attack.path("asr_at_k").fieldNames(); it.hasNext(); ) {
            n = Math.max(n, Integer.parseInt(it.next()));
        }
        return n;
    }

    static String percent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }

    /** "12.3% [10.0, 14.9]" from a rate and its interval array (either may be absent). */
    static String percentWithCi(JsonNode v, JsonNode ci) {
        String p = percent(v);
        if (ci == null || !ci.isArray() || ci.size() != 2 || ci.get(0).isNull()) {
            return p;
        }
        return p + String.format(Locale.ROOT, " [%.1f, %.1f]", 100 * ci.get(0).asDouble(), 100 * ci.get(1).asDouble());
    }
}
