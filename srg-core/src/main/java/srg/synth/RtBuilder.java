package srg.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.chat.ThinkTags;
import srg.data.Behavior;
import srg.eval.EvalProgress;
import srg.io.AtomicFiles;

/**
 * Refusal-training data paired with SRG data, so that the two differ only in the supervision:
 * one RT line for every SRG line, with the same query; a harmful query gets a direct refusal, a
 * benign one gets exactly the final answer of its SRG line, without the reasoning. Queries the
 * filter left without any SRG sample are left out of RT too. The summary shows the query sets
 * and the lines per query are identical, computed from the lines written.
 */
public final class RtBuilder {

    public static final String SUMMARY_SCHEMA = "srg.synth.rt-summary/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RefusalSet refusals;
    private final long seed;
    private final EvalProgress progress;

    /**
     * @param refusals where harmful queries' refusals come from; null to take each SRG line's own
     *     final answer (the teacher's refusal after its reasoning), so that RT and SRG differ only
     *     in the reasoning
     * @param seed draws refusals from the pool
     */
    public RtBuilder(RefusalSet refusals, long seed, EvalProgress progress) {
        this.refusals = refusals;
        this.seed = seed;
        this.progress = progress;
    }

    /** Writes the RT lines for the SRG lines of {@code srgFile} over {@code inputs}, and the summary; returns the summary. */
    public ObjectNode build(Path srgFile, QuerySet inputs, Path out, Path summary, ObjectNode config) {
        List<SftRecord> srg = SftRecord.read(srgFile);
        List<String> srgAnswers = new ArrayList<>();
        long matched = 0;
        long drawn = 0;
        Set<String> guidelineHashes = new HashSet<>();
        try (JsonlOutput rt = new JsonlOutput(out); EvalProgress.Stage stage = progress.stage("rt", srg.size())) {
            for (int i = 0; i < srg.size(); i++) {
                SftRecord line = srg.get(i);
                String at = srgFile + ":" + (i + 1);
                Behavior b = inputs.find(line.query());
                if (b == null) {
                    throw new UserError(at + ": the query '" + QuerySet.abbreviate(line.query())
                            + "' is in neither the harmful nor the benign queries; give the query files the SRG data was made from");
                }
                if (b.harmful() != line.harmful()) {
                    throw new UserError(at + ": the SRG line says harmful=" + line.harmful() + " but the inputs say " + b.harmful());
                }
                TeacherReply reply = TeacherReply.parse(line.target(), tags(line.metadata(), at));
                if (!reply.wellFormed()) {
                    throw new UserError(at + ": the assistant message is not reasoning in think tags followed by an answer ("
                            + reply.problem().description() + "); is this the output of SRG synthesis?");
                }
                guidelineHashes.add(line.metadata().path("guidelines_sha256").asText(""));
                srgAnswers.add(reply.answer());
                String target;
                ObjectNode m = JSON.createObjectNode();
                Synthesizer.query(m, b);
                m.put("kind", "rt");
                if (b.harmful()) {
                    if (refusals == null) {
                        target = reply.answer();
                        m.put("refusal_source", "srg-answer");
                    } else {
                        RefusalSet.Refusal r = refusals.pick(line.query(), seed);
                        target = r.text();
                        m.put("refusal_source", refusals.id());
                        m.put("refusal_matched", r.matched());
                        matched += r.matched() ? 1 : 0;
                        drawn += r.matched() ? 0 : 1;
                    }
                } else {
                    target = reply.answer();
                }
                m.put("srg_sample_index", line.metadata().path("sample_index").asInt());
                m.put("srg_teacher", line.metadata().path("teacher").asText(""));
                m.put("guidelines_sha256", line.metadata().path("guidelines_sha256").asText(""));
                // The teacher's sampling seed, as on the SRG line; the refusal draw has its own.
                if (!line.metadata().path("seed").isMissingNode()) {
                    m.set("seed", line.metadata().get("seed"));
                }
                m.put("refusal_seed", seed);
                rt.write(new SftRecord(line.query(), target, m).toJson());
                stage.step(1);
            }
            rt.commit();
        }
        // The proof is computed from the file as written, not from what was meant to be written.
        List<SftRecord> written = SftRecord.read(out);
        long benign = 0;
        long benignSame = 0;
        for (int i = 0; i < Math.min(written.size(), srg.size()); i++) {
            if (!srg.get(i).harmful()) {
                benign++;
                benignSame += written.get(i).target().equals(srgAnswers.get(i)) ? 1 : 0;
            }
        }
        Map<String, Integer> srgLines = linesPerQuery(srg);
        Map<String, Integer> rtLines = linesPerQuery(written);
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SUMMARY_SCHEMA);
        root.put("created", Instant.now().toString());
        root.put("srg", srgFile.toString());
        root.put("rt", out.toString());
        if (guidelineHashes.size() > 1) {
            progress.warn(srgFile + " mixes lines made with " + guidelineHashes.size() + " guideline sets");
        }
        ObjectNode sets = root.putObject("query_sets");
        counts(sets.putObject("srg"), srgLines);
        counts(sets.putObject("rt"), rtLines);
        boolean sameSet = srgLines.keySet().equals(rtLines.keySet());
        sets.put("identical_queries", sameSet);
        sets.put("identical_lines_per_query", srgLines.equals(rtLines));
        ObjectNode in = sets.putObject("input");
        inputs.write(in);
        ArrayNode left = in.putArray("left_out");
        for (Behavior b : inputs.queries()) {
            if (!srgLines.containsKey(b.prompt())) {
                left.add(Synthesizer.key(b));
            }
        }
        in.put("left_out_count", left.size());
        ObjectNode sup = root.putObject("supervision");
        sup.put("harmful_lines", srg.size() - benign);
        sup.put("benign_lines", benign);
        sup.put("benign_answers_identical_to_srg", benignSame);
        if (refusals == null) {
            sup.put("refusals", "srg-answer");
        } else {
            sup.put("refusals", refusals.id());
            sup.put("refusal_pool_size", refusals.size());
            sup.put("refusals_matched_to_query", matched);
            sup.put("refusals_drawn_from_pool", drawn);
        }
        sup.put("seed", seed);
        root.set("config", config);
        try {
            AtomicFiles.writeString(summary, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + summary, e);
        }
        return root;
    }

    private static void counts(ObjectNode node, Map<String, Integer> lines) {
        node.put("lines", lines.values().stream().mapToInt(Integer::intValue).sum());
        node.put("queries", lines.size());
        node.put("sha256", QuerySet.sha256(lines.keySet()));
    }

    /** The think tags an SRG line was written with (its metadata), else the default ones. */
    private static ThinkTags tags(ObjectNode metadata, String at) {
        JsonNode t = metadata.path("think_tags");
        if (!t.isArray()) {
            return ThinkTags.DEFAULT;
        }
        if (t.size() != 2 || !t.get(0).isTextual() || !t.get(1).isTextual()) {
            throw new UserError(at + ": metadata.think_tags: expected [OPEN, CLOSE]");
        }
        try {
            return new ThinkTags(t.get(0).asText(), t.get(1).asText());
        } catch (IllegalArgumentException e) {
            throw new UserError(at + ": metadata.think_tags: " + e.getMessage());
        }
    }

    /** Lines per query, in order of first appearance. */
    static Map<String, Integer> linesPerQuery(List<SftRecord> records) {
        Map<String, Integer> out = new LinkedHashMap<>();
        records.forEach(r -> out.merge(r.query(), 1, Integer::sum));
        return out;
    }
}
