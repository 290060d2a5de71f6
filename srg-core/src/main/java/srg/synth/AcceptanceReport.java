package srg.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import srg.data.Behavior;

/**
 * What the rejection filter did, counted: acceptance overall, by label (harmful, benign) and by
 * category; rejections by reason; and, per guideline, how often the reasoning addressed it.
 */
public final class AcceptanceReport {

    /** Counts for one group of queries. */
    static final class Tally {
        long queries;
        long samples;
        long wellFormed;
        long accepted;
        long kept;
        long queriesKept;

        void add(List<SampleDecision> decisions) {
            queries++;
            samples += decisions.size();
            long k = 0;
            for (SampleDecision d : decisions) {
                wellFormed += d.reply().wellFormed() ? 1 : 0;
                accepted += d.accepted() ? 1 : 0;
                k += d.kept() ? 1 : 0;
            }
            kept += k;
            queriesKept += k > 0 ? 1 : 0;
        }

        void write(ObjectNode node) {
            node.put("queries", queries);
            node.put("queries_kept", queriesKept);
            node.put("samples", samples);
            node.put("well_formed", wellFormed);
            node.put("accepted", accepted);
            rate(node, "acceptance_rate", accepted, samples);
            node.put("kept", kept);
        }
    }

    /** Counts for one guideline. */
    private static final class GuidelineTally {
        final boolean required;
        long checked;
        long addressed;
        long rejectedFor;

        GuidelineTally(boolean required) {
            this.required = required;
        }
    }

    private final Tally all = new Tally();
    private final Map<String, Tally> byLabel = new LinkedHashMap<>();
    private final Map<String, Tally> byCategory = new TreeMap<>();
    private final Map<Rejection, Long> reasons = new EnumMap<>(Rejection.class);
    private final Map<String, GuidelineTally> guidelines = new LinkedHashMap<>();
    private long coverageErrors;
    private final List<String> unkept = new ArrayList<>();

    public AcceptanceReport(Guidelines set) {
        for (Guideline g : set.guidelines()) {
            guidelines.put(g.name(), new GuidelineTally(g.required()));
        }
        byLabel.put("harmful", new Tally());
        byLabel.put("benign", new Tally());
    }

    /** Counts one query's decided samples. */
    public void add(Behavior query, List<SampleDecision> decisions) {
        all.add(decisions);
        byLabel.get(query.harmful() ? "harmful" : "benign").add(decisions);
        String category = (query.harmful() ? "harmful/" : "benign/") + (query.category().isBlank() ? "uncategorized" : query.category());
        byCategory.computeIfAbsent(category, c -> new Tally()).add(decisions);
        boolean anyKept = false;
        for (SampleDecision d : decisions) {
            anyKept |= d.kept();
            d.reasons().forEach(r -> reasons.merge(r, 1L, Long::sum));
            if (d.coverage() == null) {
                continue;
            }
            if (d.coverage().isError()) {
                coverageErrors++;
                continue;
            }
            d.coverage().addressed().forEach((name, yes) -> {
                GuidelineTally t = guidelines.get(name);
                if (t != null) {
                    t.checked++;
                    t.addressed += yes ? 1 : 0;
                }
            });
            d.missingGuidelines().forEach(name -> guidelines.get(name).rejectedFor++);
        }
        if (!anyKept) {
            unkept.add(Synthesizer.key(query));
        }
    }

    public long kept() {
        return all.kept;
    }

    public long queriesKept() {
        return all.queriesKept;
    }

    public long samples() {
        return all.samples;
    }

    public long accepted() {
        return all.accepted;
    }

    /** Rejections for one reason. */
    public long rejections(Rejection reason) {
        return reasons.getOrDefault(reason, 0L);
    }

    /** Per guideline, the share of checked samples whose reasoning addresses it (NaN when none was checked). */
    public Map<String, Double> addressedRates() {
        Map<String, Double> out = new LinkedHashMap<>();
        guidelines.forEach((name, t) -> out.put(name, t.checked == 0 ? Double.NaN : (double) t.addressed / t.checked));
        return out;
    }

    /** The queries none of whose samples was kept: they are in neither the SRG nor the RT data. */
    public List<String> queriesWithoutSamples() {
        return List.copyOf(unkept);
    }

    /** Writes the counts into {@code node}. */
    public void write(ObjectNode node) {
        all.write(node);
        ObjectNode labels = node.putObject("by_label");
        byLabel.forEach((k, t) -> t.write(labels.putObject(k)));
        ObjectNode cats = node.putObject("by_category");
        byCategory.forEach((k, t) -> t.write(cats.putObject(k)));
        ObjectNode rej = node.putObject("rejections");
        for (Rejection r : Rejection.values()) {
            long n = reasons.getOrDefault(r, 0L);
            ObjectNode o = rej.putObject(r.wireName());
            o.put("samples", n);
            rate(o, "rate", n, all.samples);
            o.put("description", r.description());
        }
        ObjectNode gl = node.putObject("guidelines");
        guidelines.forEach((name, t) -> {
            ObjectNode o = gl.putObject(name);
            o.put("required", t.required);
            o.put("checked", t.checked);
            o.put("addressed", t.addressed);
            rate(o, "addressed_rate", t.addressed, t.checked);
            o.put("rejected_for_missing", t.rejectedFor);
        });
        node.put("coverage_errors", coverageErrors);
        ArrayNode ids = node.putArray("queries_without_samples");
        unkept.forEach(ids::add);
    }

    private static void rate(ObjectNode node, String key, long n, long of) {
        if (of == 0) {
            node.putNull(key);
        } else {
            node.put(key, (double) n / of);
        }
    }
}
