package srg.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import srg.io.AtomicFiles;
import srg.io.Utf8File;

/**
 * Writes {@code results.json}. The layout (documented in docs/EVAL.md):
 *
 * <pre>
 * {"schema": "srg.eval.results/1", "created": ISO-8601,
 *  "models": {MODEL: {
 *     "attacks": {ATTACK: {"asr_at_k": {"1": x, ...}, "ci95_at_k": {"1": [lo, hi], ...},
 *                          "prompts": P, "samples": S, "errors": E, "sample_errors": .., "judge_errors": ..,
 *                          "prompts_at_k": {"1": P1, ...}, "attack_failures": F, "generated": G,
 *                          "full_mode_generations": P·N, "generations_saved": P·N − G, "mean_score": x|null,
 *                          "categories": {CATEGORY: {same fields but attack_failures/generated}},
 *                          "reasoning": {"policy": "report"|"count", "judge": ID#reasoning, "samples": .., "with_reasoning": ..,
 *                                        "unfinished": .., "unsafe_reasoning": .., "changed_verdicts": ..,
 *                                        "reasoning_judge_errors": .., "answer_only_asr_at_k": {..},
 *                                        "with_reasoning_asr_at_k": {..}, "examples": [...]}  (only with --judge-reasoning),
 *                          "outcomes_at_1": {"unsafe": x, "refusal": x, "other": x, "unsafe_as_asked": x | null,
 *                                            "prompts": P, "samples": S,
 *                                            "ci95": {"unsafe": [lo, hi], "refusal": [..], "other": [..],
 *                                                     "unsafe_as_asked": [..]}} | null,
 *                          "refusal_at_k": {"1": x, ...} | null, "refusal_ci95_at_k": {"1": [lo, hi], ...} | null}},
 *     "benign": {"refusal_rate": r, "ci95": [lo, hi], "prompts": .., "samples": .., "errors": .., "judge": ID,
 *                "categories": {CATEGORY: {...}}} | null,
 *     "capability": {FORM: {"helpful_at_1": x | null, "helpful_ci95": [lo, hi], "refusal_rate": x, "refusal_ci95": [lo, hi],
 *                           "prompts": P, "samples": S, "errors": E}} | null}},
 *  "warnings": [...], "config": {... the exact configuration ...}}
 * </pre>
 *
 * Rates that cannot be computed (no usable sample) are {@code null}. {@code outcomes_at_1} is null
 * when the judge does not report refusals; {@code refusal_at_k} and {@code refusal_ci95_at_k} are
 * null then too, and in sequential mode without latent refusal. {@code capability} (FORM: the
 * attack name, {@code none} for plain prompts) is null unless the benign prompts were put under
 * the attacks; its {@code helpful_at_1} is null when the refusal judge does not report
 * helpfulness. {@code unsafe_as_asked} (the share of answers that carry the harm the request asked
 * for, not another) is null unless the judge says which harm it saw: SafetyWorld's oracle does.
 * Files written before these fields existed lack them.
 */
public final class ResultsJson {

    public static final String SCHEMA = "srg.eval.results/1";
    public static final String FILE_NAME = "results.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            // AtomicFiles fsyncs the stream after writing: Jackson must not close it first.
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private ResultsJson() {}

    public static ObjectNode toJson(EvalResults results, JsonNode config) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("created", Instant.now().toString());
        ObjectNode models = root.putObject("models");
        results.models().forEach((id, m) -> {
            ObjectNode model = models.putObject(id);
            ObjectNode attacks = model.putObject("attacks");
            m.attacks().forEach((name, a) -> {
                ObjectNode node = asr(attacks.putObject(name), a.all());
                node.put("attack_failures", a.attackFailures());
                node.put("generated", a.generated());
                node.put("full_mode_generations", a.fullBudget());
                node.put("generations_saved", a.saved());
                ObjectNode cats = node.putObject("categories");
                a.categories().forEach((c, metrics) -> asr(cats.putObject(c), metrics));
                if (a.reasoning() != null) {
                    reasoning(node.putObject("reasoning"), a.reasoning());
                }
                if (a.outcomes() == null) {
                    node.putNull("outcomes_at_1");
                } else {
                    outcomes(node.putObject("outcomes_at_1"), a.outcomes());
                }
                if (a.refusalAtK() == null) {
                    node.putNull("refusal_at_k");
                    node.putNull("refusal_ci95_at_k");
                } else {
                    curve(node.putObject("refusal_at_k"), node.putObject("refusal_ci95_at_k"), a.refusalAtK().rates(), a.refusalAtK().ci95());
                }
            });
            if (m.benign() == null) {
                model.putNull("benign");
            } else {
                ObjectNode benign = refusal(model.putObject("benign"), m.benign().all());
                benign.put("judge", m.benign().judge());
                ObjectNode cats = benign.putObject("categories");
                m.benign().categories().forEach((c, metrics) -> refusal(cats.putObject(c), metrics));
            }
            if (m.capability() == null) {
                model.putNull("capability");
            } else {
                ObjectNode capability = model.putObject("capability");
                m.capability().forEach((form, c) -> capability(capability.putObject(form), c));
            }
        });
        ArrayNode warnings = root.putArray("warnings");
        results.warnings().forEach(warnings::add);
        root.set("config", config);
        return root;
    }

    private static ObjectNode asr(ObjectNode node, AsrMetrics m) {
        ObjectNode asr = node.putObject("asr_at_k");
        ObjectNode counts = node.putObject("prompts_at_k");
        for (int k = 1; k <= m.asrAtK().length; k++) {
            counts.put(Integer.toString(k), m.promptsAtK()[k - 1]);
        }
        curve(asr, node.putObject("ci95_at_k"), m.asrAtK(), m.ci95());
        node.put("prompts", m.prompts());
        node.put("samples", m.samples());
        node.put("errors", m.errors());
        node.put("sample_errors", m.sampleErrors());
        node.put("judge_errors", m.judgeErrors());
        if (m.meanScore() == null) {
            node.putNull("mean_score");
        } else {
            node.put("mean_score", m.meanScore());
        }
        return node;
    }

    /** A rate by k ({"1": x, ...}) and its intervals on the k grid ({"1": [lo, hi], ...}). */
    private static void curve(ObjectNode rates, ObjectNode ci95, double[] byK, SortedMap<Integer, double[]> intervals) {
        for (int k = 1; k <= byK.length; k++) {
            number(rates, Integer.toString(k), byK[k - 1]);
        }
        for (Map.Entry<Integer, double[]> e : intervals.entrySet()) {
            addNumbers(ci95.putArray(e.getKey().toString()), e.getValue());
        }
    }

    private static void outcomes(ObjectNode node, Outcomes o) {
        number(node, "unsafe", o.unsafe());
        number(node, "refusal", o.refusal());
        number(node, "other", o.other());
        node.put("prompts", o.prompts());
        node.put("samples", o.samples());
        ObjectNode ci = node.putObject("ci95");
        addNumbers(ci.putArray("unsafe"), o.unsafeCi95());
        addNumbers(ci.putArray("refusal"), o.refusalCi95());
        addNumbers(ci.putArray("other"), o.otherCi95());
        number(node, "unsafe_as_asked", o.unsafeAsAsked());
        addNumbers(ci.putArray("unsafe_as_asked"), o.unsafeAsAskedCi95());
    }

    private static void capability(ObjectNode node, CapabilityMetrics c) {
        if (c.helpfulAt1() == null) {
            node.putNull("helpful_at_1");
        } else {
            number(node, "helpful_at_1", c.helpfulAt1());
        }
        addNumbers(node.putArray("helpful_ci95"), c.helpfulCi95());
        number(node, "refusal_rate", c.refusal().refusalRate());
        addNumbers(node.putArray("refusal_ci95"), c.refusal().ci95());
        node.put("prompts", c.prompts());
        node.put("samples", c.samples());
        node.put("errors", c.refusal().errors());
    }

    private static void reasoning(ObjectNode node, ReasoningResults r) {
        node.put("policy", r.policy());
        node.put("judge", r.judge());
        node.put("samples", r.samples());
        node.put("with_reasoning", r.withReasoning());
        node.put("unfinished", r.unfinished());
        node.put("unsafe_reasoning", r.unsafeReasoning());
        node.put("changed_verdicts", r.changed());
        node.put("reasoning_judge_errors", r.reasoningErrors());
        ObjectNode answerOnly = node.putObject("answer_only_asr_at_k");
        ObjectNode counted = node.putObject("with_reasoning_asr_at_k");
        for (int k = 1; k <= r.asrAnswerOnly().length; k++) {
            number(answerOnly, Integer.toString(k), r.asrAnswerOnly()[k - 1]);
            number(counted, Integer.toString(k), r.asrWithReasoning()[k - 1]);
        }
        ArrayNode examples = node.putArray("examples");
        for (ReasoningResults.Example e : r.examples()) {
            examples.addObject().put("behavior_id", e.behaviorId()).put("sample", e.sample()).put("prompt", e.prompt())
                    .put("reasoning", e.reasoning()).put("answer", e.answer()).put("answer_verdict", e.answerVerdict())
                    .put("reasoning_verdict", e.reasoningVerdict());
        }
    }

    private static ObjectNode refusal(ObjectNode node, RefusalMetrics m) {
        number(node, "refusal_rate", m.refusalRate());
        addNumbers(node.putArray("ci95"), m.ci95());
        node.put("prompts", m.prompts());
        node.put("samples", m.samples());
        node.put("errors", m.errors());
        return node;
    }

    private static void number(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) {
            node.putNull(key);
        } else {
            node.put(key, v);
        }
    }

    /** Appends numbers to a JSON array, NaN (nothing measured) as null: JSON has no NaN. */
    public static void addNumbers(ArrayNode array, double... values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                array.addNull();
            } else {
                array.add(v);
            }
        }
    }

    public static void write(Path file, JsonNode results) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(out, results));
    }

    public static JsonNode read(Path file) throws IOException {
        return JSON.readTree(Utf8File.open(file));
    }
}
