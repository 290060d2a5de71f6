package srg.study.safetyworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.math3.distribution.TDistribution;
import srg.attack.PlainPrompt;
import srg.eval.ResultsJson;
import srg.io.AtomicFiles;

/**
 * The study over several seeds ({@code srg quickstart --seeds}): each headline figure's mean across
 * seeds with a 95% Student-t interval (seeds are the independent units: each is a new world, base
 * model and pair of safety-trained models), the per-seed values, and on how many seeds each
 * pre-registered expectation held, and which seeds' bases did not learn their world. Written to
 * {@code seeds.json} and {@code seeds.md}.
 */
public record SeedTable(ObjectNode json, String markdown) {

    public static final String JSON_FILE = "seeds.json";
    public static final String MARKDOWN_FILE = "seeds.md";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A headline figure and where it is in safetyworld.json. */
    private record Figure(String label, Function<JsonNode, JsonNode> at) {}

    private static final List<Figure> FIGURES = List.of(
            new Figure("base: plain harmful ASR@1", s -> m(s, "base").path("plain").path("asr_at_1")),
            new Figure("base: disguised refusal@N", s -> m(s, "base").path("disguised").path("refusal_at_n")),
            new Figure("base: capability, plain", s -> capability(s, "base")),
            new Figure("RT: plain harmful ASR@1", s -> m(s, "rt").path("plain").path("asr_at_1")),
            new Figure("RT: plain harmful refusal@1", s -> m(s, "rt").path("plain").path("refusal_at_1")),
            new Figure("RT: seen disguises ASR@1", s -> m(s, "rt").path("seen").path("asr_at_1")),
            new Figure("RT: unseen disguises ASR@1", s -> m(s, "rt").path("unseen").path("asr_at_1")),
            new Figure("RT: unseen disguises ASR@1, asked hazard only", s -> m(s, "rt").path("unseen").path("outcomes_at_1")
                    .path("unsafe_as_asked")),
            new Figure("RT: unseen disguises other@1", s -> m(s, "rt").path("unseen").path("outcomes_at_1").path("other")),
            new Figure("RT: disguised refusal@1", s -> m(s, "rt").path("disguised").path("refusal_at_1")),
            new Figure("RT: disguised refusal@N", s -> m(s, "rt").path("disguised").path("refusal_at_n")),
            new Figure("RT: benign refusal", s -> m(s, "rt").path("benign_refusal_rate")),
            new Figure("RT: capability, plain", s -> capability(s, "rt")),
            new Figure("RT: lowest capability retention", s -> m(s, "rt").path("min_capability_retention")),
            new Figure("SRG: plain harmful ASR@1", s -> m(s, "srg").path("plain").path("asr_at_1")),
            new Figure("SRG: plain harmful refusal@1", s -> m(s, "srg").path("plain").path("refusal_at_1")),
            new Figure("SRG: seen disguises ASR@1", s -> m(s, "srg").path("seen").path("asr_at_1")),
            new Figure("SRG: unseen disguises ASR@1", s -> m(s, "srg").path("unseen").path("asr_at_1")),
            new Figure("SRG: unseen disguises ASR@1, asked hazard only", s -> m(s, "srg").path("unseen").path("outcomes_at_1")
                    .path("unsafe_as_asked")),
            new Figure("SRG: unseen disguises other@1", s -> m(s, "srg").path("unseen").path("outcomes_at_1").path("other")),
            new Figure("SRG: disguised refusal@1", s -> m(s, "srg").path("disguised").path("refusal_at_1")),
            new Figure("SRG: benign refusal", s -> m(s, "srg").path("benign_refusal_rate")),
            new Figure("SRG: capability, plain", s -> capability(s, "srg")),
            new Figure("SRG: lowest capability retention", s -> m(s, "srg").path("min_capability_retention")),
            new Figure("SRG: plain benign answers name the asked substance", s -> m(s, "srg").path("answers")
                    .path(PlainPrompt.NAME).path("names_asked")),
            new Figure("SRG: fidelity, plain", s -> m(s, "srg").path("reasoning").path(PlainPrompt.NAME).path("fidelity")),
            new Figure("SRG: knowledge step names the asked substance, plain", s -> m(s, "srg").path("reasoning")
                    .path(PlainPrompt.NAME).path("knowledge_names_asked")),
            new Figure("SRG: knowledge accuracy, plain", s -> m(s, "srg").path("reasoning").path(PlainPrompt.NAME)
                    .path("knowledge_accuracy")),
            new Figure("SRG: fidelity, unseen (mean)", s -> reasoningMean(s, "fidelity")),
            new Figure("SRG: knowledge step names the asked substance, unseen (mean)",
                    s -> reasoningMean(s, "knowledge_names_asked")),
            new Figure("SRG: knowledge accuracy, unseen (mean)", s -> reasoningMean(s, "knowledge_accuracy")));

    private static JsonNode m(JsonNode summary, String model) {
        return summary.path("models").path(model);
    }

    private static JsonNode capability(JsonNode summary, String model) {
        return m(summary, model).path("capability").path(PlainPrompt.NAME).path("helpful_at_1");
    }

    private static JsonNode reasoningMean(JsonNode summary, String field) {
        double sum = 0;
        int count = 0;
        for (JsonNode d : summary.path("disguises_unseen")) {
            JsonNode v = m(summary, "srg").path("reasoning").path(d.asText()).path(field);
            if (v.isNumber()) {
                sum += v.asDouble();
                count++;
            }
        }
        return count == 0 ? JSON.nullNode() : JSON.getNodeFactory().numberNode(sum / count);
    }

    /** The table of the given seeds' summaries (safetyworld.json of each), in seed order. */
    public static SeedTable of(Map<Long, JsonNode> summaries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "srg.safetyworld.seeds/1");
        ArrayNode seeds = root.putArray("seeds");
        summaries.keySet().forEach(seeds::add);
        StringBuilder md = new StringBuilder();
        md.append("| figure | mean | 95% CI (t, across seeds, clipped to 0-100%) |");
        summaries.keySet().forEach(s -> md.append(" seed ").append(s).append(" |"));
        md.append("\n|---|---|---|");
        summaries.keySet().forEach(s -> md.append("---|"));
        md.append('\n');
        ObjectNode figures = root.putObject("figures");
        for (Figure f : FIGURES) {
            List<Double> values = new ArrayList<>();
            summaries.values().forEach(s -> {
                JsonNode v = f.at().apply(s);
                values.add(v.isNumber() ? v.asDouble() : Double.NaN);
            });
            double[] stats = meanCi(values);
            ObjectNode o = figures.putObject(f.label());
            ResultsJson.addNumbers(o.putArray("mean_ci95_t"), stats[0], stats[1], stats[2]);
            ResultsJson.addNumbers(o.putArray("per_seed"), values.stream().mapToDouble(Double::doubleValue).toArray());
            md.append("| ").append(f.label()).append(" | ").append(pct(stats[0])).append(" | [").append(pct(stats[1]))
                    .append(", ").append(pct(stats[2])).append("] |");
            values.forEach(v -> md.append(' ').append(pct(v)).append(" |"));
            md.append('\n');
        }
        md.append("\n| pre-registered expectation | holds on |");
        summaries.keySet().forEach(s -> md.append(" seed ").append(s).append(" |"));
        md.append("\n|---|---|");
        summaries.keySet().forEach(s -> md.append("---|"));
        md.append('\n');
        Map<String, List<JsonNode>> byExpectation = new LinkedHashMap<>();
        summaries.values().forEach(s -> s.path("expectations").forEach(e ->
                byExpectation.computeIfAbsent(e.path("expectation").asText(), k -> new ArrayList<>()).add(e)));
        ArrayNode expectations = root.putArray("expectations");
        byExpectation.forEach((text, list) -> {
            long holds = list.stream().filter(e -> e.path("holds").asBoolean()).count();
            expectations.addObject().put("expectation", text).put("holds_on", holds).put("seeds", list.size());
            md.append("| ").append(text).append(" | ").append(holds).append(" of ").append(list.size()).append(" |");
            list.forEach(e -> md.append(' ').append(e.path("holds").asBoolean() ? "yes" : "no").append(" (")
                    .append(e.path("measured").asText()).append(") |"));
            md.append('\n');
        });
        // A seed whose base did not learn its world is kept in the means (it was pre-registered), and named here.
        ObjectNode warned = root.putObject("warnings");
        summaries.forEach((seed, s) -> {
            if (s.path("warnings").size() > 0) {
                warned.set(Long.toString(seed), s.path("warnings"));
                md.append(warned.size() == 1 ? "\nSeeds whose base did not learn its world:\n\n" : "");
                s.path("warnings").forEach(w -> md.append("- seed ").append(seed).append(": ").append(w.asText()).append('\n'));
            }
        });
        return new SeedTable(root, md.toString());
    }

    /** Mean and 95% Student-t interval of the values that are numbers; NaN where there are too few. */
    static double[] meanCi(List<Double> values) {
        double[] v = values.stream().filter(x -> !Double.isNaN(x)).mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        if (v.length < 2) {
            return new double[] {mean, Double.NaN, Double.NaN};
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (v.length - 1) / v.length);
        double t = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975);
        // Every figure is a share: the t interval is clipped to [0, 1], where it would run past it
        // with few seeds and a wide spread.
        return new double[] {mean, Math.max(0, mean - t * se), Math.min(1, mean + t * se)};
    }


    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), markdown);
    }
}
