package srg.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.eval.EvalProgress;
import srg.io.AtomicFiles;
import srg.store.CachedChatModel;

/**
 * SRG supervision, end to end: for each query, k teacher samples of guideline reasoning and a
 * final answer; the {@link RejectionFilter} decides them; the kept ones become SFT lines
 * (query → reasoning in think tags + answer, without the guidelines), the rejected ones go to a
 * file of their own, and a summary counts everything.
 *
 * <p>Queries go in batches: each batch's teacher samples, coverage and judge calls are made and
 * its lines written before the next. Resumption is the teacher's business: wrap it (and any judge
 * model) in a {@link CachedChatModel}, and a run started again gets every finished sample back
 * from the store. The output files appear only when the whole run has finished.
 */
public final class Synthesizer {

    public static final String SUMMARY_SCHEMA = "srg.synth.summary/1";

    /** Where the outputs go. */
    public record Outputs(Path sft, Path rejected, Path summary) {

        /** {@code NAME.jsonl} → {@code NAME.rejected.jsonl} and {@code NAME.summary.json} beside it. */
        public static Outputs beside(Path sft) {
            String stem = stem(sft);
            return new Outputs(sft, sft.resolveSibling(stem + ".rejected.jsonl"), sft.resolveSibling(stem + ".summary.json"));
        }

        /** {@code NAME.jsonl} → {@code NAME.cache/}: where the model completions behind it are kept, for resuming. */
        public static Path cacheBeside(Path file) {
            return file.resolveSibling(stem(file) + ".cache");
        }

        /** The file name without {@code .jsonl}. */
        private static String stem(Path file) {
            String name = file.getFileName().toString();
            return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TeacherPrompt prompt;
    private final ChatModel teacher;
    private final RejectionFilter filter;
    private final int k;
    private final SamplingParams sampling;
    private final int batch;
    private final EvalProgress progress;

    /**
     * @param k teacher samples per query
     * @param sampling the teacher's sampling (its seed is the provenance seed)
     * @param batch queries per teacher call
     */
    public Synthesizer(TeacherPrompt prompt, ChatModel teacher, RejectionFilter filter, int k, SamplingParams sampling, int batch,
            EvalProgress progress) {
        if (k < 1 || batch < 1) {
            throw new IllegalArgumentException("k and batch must be >= 1");
        }
        this.prompt = prompt;
        this.teacher = teacher;
        this.filter = filter;
        this.k = k;
        this.sampling = sampling;
        this.batch = batch;
        this.progress = progress;
    }

    /**
     * Synthesizes, filters and writes. {@code config} (the command line and anything else the
     * caller wants recorded) goes into the summary as it is.
     */
    public AcceptanceReport run(QuerySet queries, Outputs out, ObjectNode config) {
        Guidelines guidelines = filter.guidelines();
        AcceptanceReport report = new AcceptanceReport(guidelines);
        ObjectNode provenance = provenance();
        List<Behavior> all = queries.queries();
        List<String> keptQueries = new ArrayList<>();
        try (JsonlOutput sft = new JsonlOutput(out.sft());
                JsonlOutput rejected = new JsonlOutput(out.rejected());
                EvalProgress.Stage stage = progress.stage("synthesize", (long) all.size() * k)) {
            for (int from = 0; from < all.size(); from += batch) {
                List<Behavior> chunk = all.subList(from, Math.min(all.size(), from + batch));
                List<SampleRequest> requests = chunk.stream().map(b -> SampleRequest.of(prompt.conversation(b.prompt()), k)).toList();
                List<List<Completion>> samples = teacher.sample(requests, sampling);
                List<List<SampleDecision>> decided = filter.decide(chunk, samples);
                for (int q = 0; q < chunk.size(); q++) {
                    report.add(chunk.get(q), decided.get(q));
                    if (decided.get(q).stream().anyMatch(SampleDecision::kept)) {
                        keptQueries.add(chunk.get(q).prompt());
                    }
                    for (SampleDecision d : decided.get(q)) {
                        if (d.kept()) {
                            sft.write(new SftRecord(d.behavior().prompt(), prompt.tags().join(d.reply().reasoning(), d.reply().answer()),
                                    metadata(provenance, d)).toJson());
                        } else if (!d.accepted()) {
                            rejected.write(rejectedLine(d));
                        }
                    }
                }
                stage.step((long) chunk.size() * k);
            }
            if (report.kept() == 0) {
                progress.warn("no teacher sample passed the filter; " + out.sft() + " is empty (see " + out.rejected() + ")");
            }
            sft.commit();
            rejected.commit();
        }
        writeSummary(out, queries, keptQueries, report, config, provenance);
        return report;
    }

    /** What every line records about how it was made. */
    private ObjectNode provenance() {
        ObjectNode p = JSON.createObjectNode();
        p.put("kind", "srg");
        p.put("teacher", teacher.id());
        p.put("guidelines", filter.guidelines().name());
        p.put("guidelines_sha256", filter.guidelines().sha256());
        p.put("seed", sampling.seed());
        p.putArray("think_tags").add(prompt.tags().open()).add(prompt.tags().close());
        p.put("judge", filter.judge().id());
        p.put("coverage", filter.coverageJudge().id());
        return p;
    }

    private static ObjectNode metadata(ObjectNode provenance, SampleDecision d) {
        ObjectNode m = JSON.createObjectNode();
        query(m, d.behavior());
        m.put("sample_index", d.index());
        m.setAll(provenance);
        return m;
    }

    /** The query's identity fields, shared by SRG, RT and rejected lines. */
    static void query(ObjectNode m, Behavior b) {
        m.put("id", b.id());
        m.put("source", b.source());
        m.put("category", b.category());
        m.put("harmful", b.harmful());
    }

    private static ObjectNode rejectedLine(SampleDecision d) {
        ObjectNode line = JSON.createObjectNode();
        query(line, d.behavior());
        line.put("query", d.behavior().prompt());
        line.put("sample_index", d.index());
        ArrayNode reasons = line.putArray("reasons");
        d.reasons().forEach(r -> reasons.add(r.wireName()));
        ArrayNode missing = line.putArray("missing_guidelines");
        d.missingGuidelines().forEach(missing::add);
        if (d.coverage() != null && d.coverage().isError()) {
            line.put("coverage_error", d.coverage().error());
        }
        if (d.judgment() != null) {
            line.put("judge_verdict", d.judgment().verdict().name());
            if (d.judgment().refusal() == null) {
                line.putNull("judge_refusal");
            } else {
                line.put("judge_refusal", d.judgment().refusal());
            }
            line.put("judge_rationale", d.judgment().rationale());
        }
        line.put("text", d.raw());
        return line;
    }

    private void writeSummary(Outputs out, QuerySet queries, List<String> keptQueries, AcceptanceReport report, ObjectNode config, ObjectNode provenance) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SUMMARY_SCHEMA);
        root.put("created", Instant.now().toString());
        root.setAll(provenance);
        root.put("k", k);
        root.put("keep", filter.keep());
        root.put("instructions", prompt.placement().name().toLowerCase(Locale.ROOT));
        ArrayNode names = root.putArray("guideline_names");
        filter.guidelines().names().forEach(names::add);
        ArrayNode required = root.putArray("required_guidelines");
        filter.guidelines().requiredGuidelines().forEach(g -> required.add(g.name()));
        ObjectNode s = root.putObject("sampling");
        s.put("temperature", sampling.temperature()).put("top_p", sampling.topP()).put("top_k", sampling.topK())
                .put("max_tokens", sampling.maxTokens()).put("seed", sampling.seed());
        queries.write(root.putObject("input"));
        report.write(root.putObject("acceptance"));
        ObjectNode output = root.putObject("output");
        output.put("lines", report.kept());
        output.put("queries", report.queriesKept());
        output.put("query_set_sha256", QuerySet.sha256(keptQueries));
        output.put("sft", out.sft().toString());
        output.put("rejected", out.rejected().toString());
        if (teacher instanceof CachedChatModel cached) {
            root.putObject("teacher_calls").put("from_cache", cached.cachedSamples()).put("drawn", cached.drawnSamples())
                    .put("failed", cached.failedSamples());
        }
        root.set("config", config);
        try {
            AtomicFiles.writeString(out.summary(), JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out.summary(), e);
        }
    }

    static String key(Behavior b) {
        return b.source().isEmpty() ? b.id() : b.source() + "/" + b.id();
    }
}
