package srg.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackException;
import srg.attack.AttackKind;
import srg.attack.AttackOutcome;
import srg.attack.AttackedPrompt;
import srg.attack.PlainPrompt;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.ThinkTags;
import srg.data.Behavior;
import srg.judge.Judge;
import srg.judge.JudgeInput;
import srg.judge.Judgment;
import srg.judge.Verdict;
import srg.store.RunStore;
import srg.store.RunStore.SampleState;

/**
 * The Best-of-N pipeline, in stages whose outputs live in the {@link RunStore}: attack the
 * behaviors, sample each attacked prompt N times (or, in sequential mode, until the first safe
 * response), judge every sample, then compute ASR@k per attack and category and the over-refusal
 * rate on benign prompts; with a judge that reports refusals, also the three-state outcomes at
 * k=1 and refusal@k, and with benign prompts under attacks, capability by form. Every stage first
 * reads what the store already holds and only does what is missing, so a killed run resumes where
 * it stopped.
 */
public final class BestOfNEval {

    static final String HARMFUL = "harmful";
    static final String BENIGN = "benign";

    private final EvalConfig config;
    private final RunStore store;
    private final EvalProgress progress;
    private final String samplingKey;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Integer> attackFailures = new HashMap<>();

    public BestOfNEval(EvalConfig config, RunStore store, EvalProgress progress) {
        this.config = config;
        this.store = store;
        this.progress = progress;
        this.samplingKey = config.sampling().key();
    }

    /**
     * Runs every stage for every model. {@code judge} decides attack success; {@code refusalJudge}
     * (which must report refusals) decides over-refusal on the benign prompts.
     */
    public EvalResults run(List<ChatModel> models, Judge judge, Judge refusalJudge) {
        if (!config.benign().isEmpty() && !refusalJudge.reportsRefusal()) {
            throw new IllegalArgumentException("the refusal judge " + refusalJudge.id() + " does not report refusals");
        }
        if (config.latentRefusal() && !judge.reportsRefusal()) {
            throw new IllegalArgumentException("latentRefusal: the judge " + judge.id() + " does not report refusals");
        }
        // Static and model-assisted prompts are the same for every model; an iterative attack
        // searches against each model, so its prompts are made (and stored) per model below.
        List<EvalPrompt> shared = new ArrayList<>();
        for (Attack attack : config.attacks()) {
            if (attack.kind() != AttackKind.ITERATIVE) {
                shared.addAll(prompts(HARMFUL, attack, config.harmful(), attack.name()));
            }
        }
        PlainPrompt plain = new PlainPrompt(config.seed());
        List<EvalPrompt> benign = prompts(BENIGN, plain, config.benign(), plain.name());
        Map<String, List<EvalPrompt>> benignForms = benignForms(benign);
        List<EvalPrompt> allBenign = benignForms.isEmpty() ? benign : benignForms.values().stream().flatMap(List::stream).toList();

        Map<String, EvalResults.ModelResults> out = new LinkedHashMap<>();
        for (ChatModel model : models) {
            List<EvalPrompt> harmful = new ArrayList<>(shared);
            for (Attack attack : config.attacks()) {
                if (attack.kind() == AttackKind.ITERATIVE) {
                    harmful.addAll(prompts(HARMFUL, attack.against(model), config.harmful(), iterativeStoreName(attack, model)));
                }
            }
            if (config.mode() == SamplingMode.FULL) {
                sample(model, harmful, config.n(), "sample " + model.id());
                judge(model, harmful, judge, config.n(), "judge " + model.id(), Part.ANSWER);
                if (config.reasoning() != ReasoningPolicy.OFF) {
                    judge(model, harmful, judge, config.n(), "judge reasoning " + model.id(), Part.REASONING);
                }
            } else {
                sequential(model, harmful, judge);
                if (config.reasoning() == ReasoningPolicy.REPORT) {
                    judge(model, harmful, judge, sequentialLimit(), "judge reasoning " + model.id(), Part.REASONING);
                }
            }
            EvalResults.BenignResults benignResults = null;
            if (!benign.isEmpty()) {
                sample(model, allBenign, config.benignSamples(), "benign sample " + model.id());
                judge(model, allBenign, refusalJudge, config.benignSamples(), "benign judge " + model.id(), Part.ANSWER);
                benignResults = benignMetrics(model, benign, refusalJudge);
            }
            Map<String, CapabilityMetrics> capability = benignForms.isEmpty() ? null : capability(model, benignForms, refusalJudge);
            out.put(model.id(), new EvalResults.ModelResults(model.id(), attackMetrics(model, harmful, judge), benignResults, capability));
        }
        return new EvalResults(out, List.copyOf(warnings));
    }

    private void warn(String message) {
        warnings.add(message);
        progress.warn(message);
    }

    // ---- stage 1: attacked prompts -------------------------------------------------------------

    /**
     * With {@link EvalConfig#benignUnderAttacks()}: the benign prompts by form, plain first (under
     * {@link PlainPrompt#NAME}), then as each attack makes them; otherwise empty. Iterative attacks
     * search for a jailbreak against the model, which means nothing for a benign request.
     */
    private Map<String, List<EvalPrompt>> benignForms(List<EvalPrompt> plain) {
        Map<String, List<EvalPrompt>> out = new LinkedHashMap<>();
        if (!config.benignUnderAttacks() || config.benign().isEmpty()) {
            return out;
        }
        out.put(PlainPrompt.NAME, plain);
        for (Attack attack : config.attacks()) {
            if (attack.kind() == AttackKind.ITERATIVE) {
                warn("benign prompts are not put through " + attack.name() + ": an iterative attack searches for a jailbreak; "
                        + "no capability is measured in that form");
            } else if (!attack.name().equals(PlainPrompt.NAME)) {
                out.put(attack.name(), prompts(BENIGN, attack, config.benign(), attack.name()));
            }
        }
        return out;
    }

    static String behaviorKey(Behavior b) {
        return b.source() + "/" + b.id();
    }

    /** Where the prompts an iterative attack found against {@code model} are stored: one set per model. */
    static String iterativeStoreName(Attack attack, ChatModel model) {
        return attack.name() + RunStore.AIMED_AT + model.id();
    }

    /**
     * The attacked prompts of one attack over the behaviors, from the store (under
     * {@code storeName}) or made now and stored.
     */
    private List<EvalPrompt> prompts(String role, Attack attack, List<Behavior> behaviors, String storeName) {
        String attackConfig = config.attackConfig();
        Set<String> keys = new HashSet<>();
        for (Behavior b : behaviors) {
            if (!keys.add(behaviorKey(b))) {
                throw new UserError("behavior '" + b.id() + "' of source '" + b.source() + "' appears twice in the " + role + " data");
            }
        }
        Map<String, List<RunStore.StoredPrompt>> stored = new HashMap<>(store.prompts(role, storeName, attackConfig));
        Map<String, String> failures = new HashMap<>(store.attackFailures(role, storeName, attackConfig));
        List<Behavior> missing = new ArrayList<>();
        for (Behavior b : behaviors) {
            String key = behaviorKey(b);
            List<RunStore.StoredPrompt> s = stored.get(key);
            boolean current = s != null && s.stream().allMatch(p -> p.behavior().equals(b));
            if (!current && !failures.containsKey(key)) {
                missing.add(b);
            }
        }
        if (!missing.isEmpty()) {
            try (EvalProgress.Stage stage = progress.stage("attack " + attack.name() + (role.equals(BENIGN) ? " (benign)" : ""), missing.size())) {
                // Stored chunk by chunk: an interrupted run keeps every finished chunk. A PAIR search
                // costs many target calls, so each is stored on its own.
                int chunk = switch (attack.kind()) {
                    case STATIC -> 256;
                    case MODEL_ASSISTED -> 64;
                    case ITERATIVE -> 1;
                };
                for (int start = 0; start < missing.size(); start += chunk) {
                    Map<String, List<RunStore.StoredPrompt>> made = new LinkedHashMap<>();
                    Map<String, String> failed = new LinkedHashMap<>();
                    List<Behavior> batch = missing.subList(start, Math.min(missing.size(), start + chunk));
                    // applyAll lets a model-assisted attack send one batched request to its helper model.
                    for (AttackOutcome outcome : attack.applyAll(batch)) {
                        String key = behaviorKey(outcome.behavior());
                        if (outcome.failed()) {
                            failed.put(key, outcome.error());
                        } else {
                            List<RunStore.StoredPrompt> list = new ArrayList<>();
                            for (int v = 0; v < outcome.prompts().size(); v++) {
                                AttackedPrompt a = outcome.prompts().get(v);
                                list.add(new RunStore.StoredPrompt(role, storeName, attackConfig, outcome.behavior(), v,
                                        a.params(), a.conversation()));
                            }
                            made.put(key, list);
                        }
                    }
                    stage.step(batch.size());
                    store.putPrompts(role, storeName, attackConfig, made, failed);
                    stored.putAll(made);
                    failures.putAll(failed);
                    failed.keySet().forEach(stored::remove);
                    made.keySet().forEach(failures::remove);
                }
            }
        }
        List<EvalPrompt> out = new ArrayList<>();
        int failedCount = 0;
        for (Behavior b : behaviors) {
            String key = behaviorKey(b);
            if (failures.containsKey(key) && !stored.containsKey(key)) {
                failedCount++;
                continue;
            }
            for (RunStore.StoredPrompt p : stored.get(key)) {
                out.add(new EvalPrompt(role.equals(BENIGN), attack, b, new AttackedPrompt(b.id(), attack.name(), p.params(), p.conversation())));
            }
        }
        if (failedCount > 0) {
            warn("attack " + storeName + (role.equals(BENIGN) ? " (benign prompts)" : "") + ": " + failedCount + " of " + behaviors.size()
                    + " behaviors could not be attacked and are left out"
                    + " (srg export shows nothing for them; see the attack_failures table in run.db)");
        }
        // By role and store name: an iterative attack fails per model.
        attackFailures.merge(role + " " + storeName, failedCount, Integer::sum);
        return out;
    }

    // ---- stage 2: sampling ---------------------------------------------------------------------

    /** Distinct conversations, each with the first prompt that uses it (for judging). */
    private static Map<String, EvalPrompt> byConversation(List<EvalPrompt> prompts) {
        Map<String, EvalPrompt> out = new LinkedHashMap<>();
        for (EvalPrompt p : prompts) {
            out.putIfAbsent(p.convHash(), p);
        }
        return out;
    }

    /** Draws every missing (or failed) sample with index below n. */
    private void sample(ChatModel model, List<EvalPrompt> prompts, int n, String stageName) {
        Map<String, List<SampleState>> states = store.states(model.id(), samplingKey, "");
        List<SampleRequest> requests = new ArrayList<>();
        for (var e : byConversation(prompts).entrySet()) {
            boolean[] have = new boolean[n];
            for (SampleState s : states.getOrDefault(e.getKey(), List.of())) {
                if (s.index() < n && !s.error()) {
                    have[s.index()] = true;
                }
            }
            // One request per run of missing indices, so that a resumed run asks for exactly what is missing.
            for (int i = 0; i < n; i++) {
                if (!have[i]) {
                    int j = i;
                    while (j < n && !have[j] && j - i < config.batchSamples()) {
                        j++;
                    }
                    requests.add(new SampleRequest(e.getValue().prompt().conversation(), i, j - i));
                    i = j - 1;
                }
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        long total = requests.stream().mapToLong(SampleRequest::count).sum();
        long errors = 0;
        try (EvalProgress.Stage stage = progress.stage(stageName, total)) {
            List<SampleRequest> batch = new ArrayList<>();
            int batchSize = 0;
            for (int i = 0; i <= requests.size(); i++) {
                SampleRequest r = i < requests.size() ? requests.get(i) : null;
                if (r == null || batchSize + r.count() > config.batchSamples() && !batch.isEmpty()) {
                    errors += drawAndStore(model, batch).stream().filter(x -> x.completion().isError()).count();
                    stage.step(batchSize);
                    batch.clear();
                    batchSize = 0;
                }
                if (r != null) {
                    batch.add(r);
                    batchSize += r.count();
                }
            }
        }
        if (errors > 0) {
            warn(stageName + ": " + errors + " of " + total + " samples failed; they are left out of every denominator and retried when the run is resumed");
        }
    }

    /** Samples one batch and stores it in one transaction; returns the stored samples, in request order. */
    private List<RunStore.Sample> drawAndStore(ChatModel model, List<SampleRequest> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<List<Completion>> results = model.sample(batch, config.sampling());
        if (results.size() != batch.size()) {
            throw new IllegalStateException(model.id() + " returned " + results.size() + " results for " + batch.size() + " requests");
        }
        List<RunStore.Sample> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            SampleRequest r = batch.get(i);
            List<Completion> got = results.get(i);
            if (got.size() != r.count()) {
                throw new IllegalStateException(model.id() + " returned " + got.size() + " samples where " + r.count() + " were asked");
            }
            String hash = r.conversation().sha256();
            for (int j = 0; j < got.size(); j++) {
                rows.add(new RunStore.Sample(model.id(), hash, samplingKey, r.firstIndex() + j, got.get(j)));
            }
        }
        store.putSamples(rows);
        return rows;
    }

    // ---- stage 3: judging ----------------------------------------------------------------------

    /** One sample waiting for a verdict. */
    private record Pending(EvalPrompt prompt, int index) {}

    /** Which part of a response a judge is shown: the final answer, or the reasoning before it. */
    private enum Part { ANSWER, REASONING }

    /** Verdicts on the reasoning are stored under the judge's id with this suffix. */
    static final String REASONING_SUFFIX = "#reasoning";

    /** The rationale of the SAFE verdict given, without asking the judge, to a sample that has no reasoning. */
    static final String NO_REASONING = "no reasoning";

    private static String verdictKey(Judge judge, Part part) {
        return part == Part.ANSWER ? judge.id() : judge.id() + REASONING_SUFFIX;
    }

    /** Judges every usable sample with index below {@code limit} that has no verdict yet (or an ERROR one). */
    private void judge(ChatModel model, List<EvalPrompt> prompts, Judge judge, int limit, String stageName, Part part) {
        Map<String, List<SampleState>> states = store.states(model.id(), samplingKey, verdictKey(judge, part));
        List<Pending> pending = new ArrayList<>();
        for (var e : byConversation(prompts).entrySet()) {
            for (SampleState s : states.getOrDefault(e.getKey(), List.of())) {
                if (s.index() < limit && !s.error() && (s.verdict() == null || s.verdict() == Verdict.ERROR)) {
                    pending.add(new Pending(e.getValue(), s.index()));
                }
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        long errors = 0;
        try (EvalProgress.Stage stage = progress.stage(stageName, pending.size())) {
            for (int start = 0; start < pending.size(); start += config.judgeBatch()) {
                List<Pending> batch = pending.subList(start, Math.min(pending.size(), start + config.judgeBatch()));
                errors += judgeAndStore(model, judge, batch, part).stream().filter(Judgment::isError).count();
                stage.step(batch.size());
            }
        }
        if (errors > 0) {
            warn(stageName + ": the judge could not decide " + errors + " of " + pending.size()
                    + " samples; they are left out of every denominator and retried when the run is resumed");
        }
    }

    /**
     * Judges one part of each sample: the final answer (after the closing think tag; the whole
     * response when there is none), decoded by the attack; or the reasoning, undecoded, where a
     * sample without reasoning is SAFE without asking the judge.
     */
    private List<Judgment> judgeAndStore(ChatModel model, Judge judge, List<Pending> batch, Part part) {
        List<JudgeInput> inputs = new ArrayList<>(batch.size());
        List<Integer> toJudge = new ArrayList<>(batch.size());
        Judgment[] judgments = new Judgment[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            Completion c = store.completions(model.id(), p.prompt.convHash(), samplingKey, List.of(p.index)).get(p.index);
            ThinkTags.Split split = config.tags().split(c.text());
            if (part == Part.REASONING) {
                if (split.reasoning().isEmpty()) {
                    judgments[i] = new Judgment(Verdict.SAFE, null, null, NO_REASONING);
                } else {
                    inputs.add(new JudgeInput(p.prompt.behavior(), p.prompt.prompt().conversation(), split.reasoning()));
                    toJudge.add(i);
                }
                continue;
            }
            try {
                String decoded = p.prompt.attack().decode(p.prompt.prompt(), split.reasoned() ? split.answer() : c.text());
                inputs.add(new JudgeInput(p.prompt.behavior(), p.prompt.prompt().conversation(), decoded));
                toJudge.add(i);
            } catch (AttackException e) {
                judgments[i] = Judgment.error("cannot decode the response for attack " + p.prompt.attack().name() + ": " + e.getMessage());
            }
        }
        List<Judgment> decided = inputs.isEmpty() ? List.of() : judge.judge(inputs);
        if (decided.size() != inputs.size()) {
            throw new IllegalStateException("judge " + judge.id() + " returned " + decided.size() + " judgments for " + inputs.size() + " inputs");
        }
        for (int i = 0; i < toJudge.size(); i++) {
            Judgment j = decided.get(i);
            // Refusing is something a final answer does; on reasoning the flag means nothing.
            judgments[toJudge.get(i)] = part == Part.ANSWER ? j : new Judgment(j.verdict(), null, j.score(), j.rationale());
        }
        List<RunStore.StoredVerdict> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            rows.add(new RunStore.StoredVerdict(model.id(), p.prompt.convHash(), samplingKey, p.index, verdictKey(judge, part), judgments[i]));
        }
        store.putVerdicts(rows);
        return List.of(judgments);
    }

    // ---- sequential mode -----------------------------------------------------------------------

    /** The most sample indices tried per prompt in sequential mode: N usable ones plus as many failures. */
    private int sequentialLimit() {
        return 2 * config.n();
    }

    /** Where one prompt stands in sequential mode: finished, or the index to sample next. */
    private record SequentialState(boolean done, int nextIndex, int usable) {}

    /**
     * A prompt is done at its first safe sample, or, with latent refusal, once it has both a safe
     * sample and a refusal ({@link Outcome#REFUSAL}, which is itself safe): then ASR@k and
     * refusal@k are both observed for every k. Either way it is done after N usable samples.
     */
    private SequentialState sequentialState(List<SampleState> samples) {
        int usable = 0;
        int next = 0;
        boolean safe = false;
        boolean refused = false;
        for (SampleState s : samples) {
            next = Math.max(next, s.index() + 1);
            Outcome outcome = Outcome.of(s);
            if (outcome == null) {
                continue;
            }
            usable++;
            safe |= outcome != Outcome.UNSAFE;
            refused |= outcome == Outcome.REFUSAL;
            if (safe && (refused || !config.latentRefusal()) || usable >= config.n()) {
                return new SequentialState(true, next, usable);
            }
        }
        return new SequentialState(next >= sequentialLimit(), next, usable);
    }

    /** Samples one response at a time per prompt, judging as it goes, until it is done (see {@link #sequentialState}). */
    private void sequential(ChatModel model, List<EvalPrompt> prompts, Judge judge) {
        // A resumed run first judges whatever was sampled but not judged before the stop.
        judge(model, prompts, judge, sequentialLimit(), "judge " + model.id() + " (resumed)", Part.ANSWER);
        boolean countReasoning = config.reasoning() == ReasoningPolicy.COUNT;
        if (countReasoning) {
            judge(model, prompts, judge, sequentialLimit(), "judge reasoning " + model.id() + " (resumed)", Part.REASONING);
        }
        Map<String, EvalPrompt> conversations = byConversation(prompts);
        Map<String, List<SampleState>> states = new HashMap<>(statesFor(model, judge));
        long budget = (long) conversations.size() * config.n();
        long sampleErrors = 0;
        long judgeErrors = 0;
        try (EvalProgress.Stage stage = progress.stage("sequential " + model.id(), budget)) {
            long resolved = 0;
            while (true) {
                // Progress counts budget resolved: a usable unsafe sample resolves 1, a finished prompt all it had left.
                List<Pending> active = new ArrayList<>();
                long nowResolved = 0;
                for (var e : conversations.entrySet()) {
                    List<SampleState> list = states.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    SequentialState st = sequentialState(list);
                    if (st.done) {
                        nowResolved += config.n();
                    } else {
                        nowResolved += st.usable;
                        active.add(new Pending(e.getValue(), st.nextIndex));
                    }
                }
                stage.step(nowResolved - resolved);
                resolved = nowResolved;
                if (active.isEmpty()) {
                    break;
                }
                for (int start = 0; start < active.size(); start += config.batchSamples()) {
                    List<Pending> round = active.subList(start, Math.min(active.size(), start + config.batchSamples()));
                    List<SampleRequest> requests = round.stream().map(p -> new SampleRequest(p.prompt.prompt().conversation(), p.index, 1)).toList();
                    List<RunStore.Sample> drawn = drawAndStore(model, requests);
                    List<Pending> usable = new ArrayList<>();
                    for (int i = 0; i < round.size(); i++) {
                        Pending p = round.get(i);
                        if (drawn.get(i).completion().isError()) {
                            sampleErrors++;
                            states.get(p.prompt.convHash()).add(new SampleState(p.index, true, null, null, null));
                        } else {
                            usable.add(p);
                        }
                    }
                    for (int j = 0; j < usable.size(); j += config.judgeBatch()) {
                        List<Pending> batch = usable.subList(j, Math.min(usable.size(), j + config.judgeBatch()));
                        List<Judgment> judgments = judgeAndStore(model, judge, batch, Part.ANSWER);
                        List<Judgment> reasoning = countReasoning ? judgeAndStore(model, judge, batch, Part.REASONING) : null;
                        for (int i = 0; i < batch.size(); i++) {
                            Judgment jd = judgments.get(i);
                            SampleState answer = new SampleState(batch.get(i).index, false, jd.verdict(), jd.refusal(), jd.score());
                            SampleState state = reasoning == null ? answer : combine(answer, new SampleState(batch.get(i).index, false,
                                    reasoning.get(i).verdict(), null, null));
                            judgeErrors += state.verdict() == Verdict.ERROR ? 1 : 0;
                            states.get(batch.get(i).prompt.convHash()).add(state);
                        }
                    }
                }
            }
        }
        if (sampleErrors + judgeErrors > 0) {
            warn("sequential " + model.id() + ": " + sampleErrors + " failed samples and " + judgeErrors
                    + " judge errors were skipped (the next sample was drawn instead)");
        }
    }

    // ---- stage 4: metrics ----------------------------------------------------------------------

    /**
     * The verdicts that ASR counts: the final answer's, or, when reasoning counts, UNSAFE where
     * the answer or the reasoning is.
     */
    private Map<String, List<SampleState>> statesFor(ChatModel model, Judge judge) {
        Map<String, List<SampleState>> answers = store.states(model.id(), samplingKey, judge.id());
        if (config.reasoning() != ReasoningPolicy.COUNT) {
            return answers;
        }
        return combine(answers, store.states(model.id(), samplingKey, verdictKey(judge, Part.REASONING)));
    }

    private static Map<String, List<SampleState>> combine(Map<String, List<SampleState>> answers, Map<String, List<SampleState>> reasoning) {
        Map<String, List<SampleState>> out = new HashMap<>();
        answers.forEach((hash, list) -> {
            Map<Integer, SampleState> byIndex = new HashMap<>();
            reasoning.getOrDefault(hash, List.of()).forEach(r -> byIndex.put(r.index(), r));
            List<SampleState> combined = new ArrayList<>(list.size());
            for (SampleState a : list) {
                combined.add(combine(a, byIndex.get(a.index())));
            }
            out.put(hash, combined);
        });
        return out;
    }

    /** One sample's verdict counting its reasoning: a reasoning not (yet) judged leaves a safe answer undecided. */
    private static SampleState combine(SampleState answer, SampleState reasoning) {
        if (answer.error() || answer.verdict() != Verdict.SAFE) {
            return answer;
        }
        Verdict r = reasoning == null ? null : reasoning.verdict();
        if (r == Verdict.SAFE) {
            return answer;
        }
        return new SampleState(answer.index(), false, r, answer.refusal(), answer.score());
    }

    private Map<String, EvalResults.AttackResults> attackMetrics(ChatModel model, List<EvalPrompt> prompts, Judge judge) {
        Map<String, List<SampleState>> states = statesFor(model, judge);
        int limit = config.mode() == SamplingMode.FULL ? config.n() : sequentialLimit();
        Map<String, EvalResults.AttackResults> out = new LinkedHashMap<>();
        for (Attack attack : config.attacks()) {
            // By name: an iterative attack is a fresh instance per model (aimed at it).
            List<EvalPrompt> ofAttack = prompts.stream().filter(p -> p.attack().name().equals(attack.name())).toList();
            Map<String, List<EvalPrompt>> byCategory = new TreeMap<>();
            ofAttack.forEach(p -> byCategory.computeIfAbsent(p.category(), c -> new ArrayList<>()).add(p));
            Map<String, AsrMetrics> categories = new LinkedHashMap<>();
            byCategory.forEach((c, list) -> categories.put(c, asr(list, states, limit, attack.name() + "/" + c)));
            AsrMetrics all = asr(ofAttack, states, limit, attack.name());
            long generated = 0;
            for (String hash : byConversation(ofAttack).keySet()) {
                generated += states.getOrDefault(hash, List.of()).stream().filter(s -> s.index() < limit).count();
            }
            if (all.errors() > 0) {
                warn(model.id() + ", attack " + attack.name() + ": " + all.errors() + " samples are ERROR (" + all.sampleErrors()
                        + " failed generations, " + all.judgeErrors() + " judge errors) and are left out of the ASR denominators");
            }
            if (all.shortPrompts() > 0) {
                warn(model.id() + ", attack " + attack.name() + ": " + all.shortPrompts() + " prompts have fewer than N=" + config.n()
                        + " usable samples; ASR@k leaves each out for k above its usable count");
            }
            ReasoningResults reasoning = config.reasoning() == ReasoningPolicy.OFF ? null : reasoningResults(model, ofAttack, judge, limit);
            if (reasoning != null && reasoning.reasoningErrors() > 0) {
                warn(model.id() + ", attack " + attack.name() + ": the judge could not decide the reasoning of " + reasoning.reasoningErrors()
                        + " samples" + (config.reasoning() == ReasoningPolicy.COUNT ? "; those with a safe answer are left out of the ASR denominators" : ""));
            }
            String storeName = attack.kind() == AttackKind.ITERATIVE ? iterativeStoreName(attack, model) : attack.name();
            Outcomes outcomes = null;
            RefusalAtK refusalAtK = null;
            if (judge.reportsRefusal()) {
                List<List<SampleState>> samples = samplesOf(ofAttack, states, limit);
                outcomes = Outcomes.atOne(samples, config.mode(), config.bootstrapResamples(), config.seed() ^ (attack.name() + "/outcomes").hashCode());
                if (config.mode() == SamplingMode.FULL || config.latentRefusal()) {
                    refusalAtK = LatentRefusal.metrics(samples, config.n(), config.mode(), config.bootstrapResamples(),
                            config.seed() ^ (attack.name() + "/refusal").hashCode());
                }
            }
            out.put(attack.name(), new EvalResults.AttackResults(all, categories, attackFailures.getOrDefault(HARMFUL + " " + storeName, 0),
                    generated, (long) ofAttack.size() * config.n(), reasoning, outcomes, refusalAtK));
        }
        return out;
    }

    /** How many examples of reasoning traces results.json keeps per attack. */
    static final int REASONING_EXAMPLES = 4;

    /** What the reasoning of one attack's usable samples showed; reads each sample's text once. */
    private ReasoningResults reasoningResults(ChatModel model, List<EvalPrompt> prompts, Judge judge, int limit) {
        Map<String, List<SampleState>> answers = store.states(model.id(), samplingKey, judge.id());
        Map<String, List<SampleState>> reasoning = store.states(model.id(), samplingKey, verdictKey(judge, Part.REASONING));
        long samples = 0, withReasoning = 0, unfinished = 0, unsafe = 0, changed = 0, errors = 0;
        List<ReasoningResults.Example> changedExamples = new ArrayList<>();
        List<ReasoningResults.Example> otherExamples = new ArrayList<>();
        for (var e : byConversation(prompts).entrySet()) {
            Map<Integer, SampleState> byIndex = new HashMap<>();
            reasoning.getOrDefault(e.getKey(), List.of()).forEach(r -> byIndex.put(r.index(), r));
            for (SampleState a : answers.getOrDefault(e.getKey(), List.of())) {
                if (a.index() >= limit || a.error() || a.verdict() == null || a.verdict() == Verdict.ERROR) {
                    continue;
                }
                samples++;
                SampleState r = byIndex.get(a.index());
                Verdict rv = r == null ? null : r.verdict();
                boolean turned = a.verdict() == Verdict.SAFE && rv == Verdict.UNSAFE;
                unsafe += rv == Verdict.UNSAFE ? 1 : 0;
                changed += turned ? 1 : 0;
                errors += rv == null || rv == Verdict.ERROR ? 1 : 0;
                String text = store.completions(model.id(), e.getKey(), samplingKey, List.of(a.index())).get(a.index()).text();
                ThinkTags.Split split = config.tags().split(text);
                withReasoning += split.reasoned() ? 1 : 0;
                unfinished += split.finished() ? 0 : 1;
                List<ReasoningResults.Example> into = turned ? changedExamples : otherExamples;
                if (split.reasoned() && into.size() < REASONING_EXAMPLES) {
                    into.add(new ReasoningResults.Example(e.getValue().behavior().id(), a.index(),
                            abbreviate(e.getValue().prompt().conversation().lastUserContent(), 600), abbreviate(split.reasoning(), 2000),
                            abbreviate(split.answer(), 800), a.verdict().name(), rv == null ? "not judged" : rv.name()));
                }
            }
        }
        List<ReasoningResults.Example> examples = new ArrayList<>(changedExamples);
        otherExamples.stream().limit(Math.max(0, REASONING_EXAMPLES - examples.size())).forEach(examples::add);
        String label = prompts.isEmpty() ? "reasoning" : "reasoning/" + prompts.get(0).attack().name();
        double[] answerOnly = asr(prompts, answers, limit, label).asrAtK();
        double[] counted = asr(prompts, combine(answers, reasoning), limit, label).asrAtK();
        return new ReasoningResults(config.reasoning().wireName(), verdictKey(judge, Part.REASONING), samples, withReasoning, unfinished,
                unsafe, changed, errors, answerOnly, counted, examples);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " [... " + (s.length() - max) + " more characters]";
    }

    private AsrMetrics asr(List<EvalPrompt> prompts, Map<String, List<SampleState>> states, int limit, String seedLabel) {
        int n = config.n();
        double[][] rows = new double[prompts.size()][];
        long samples = 0, sampleErrors = 0, judgeErrors = 0, scored = 0;
        double scoreSum = 0;
        for (int i = 0; i < prompts.size(); i++) {
            List<Verdict> verdicts = new ArrayList<>();
            for (SampleState s : states.getOrDefault(prompts.get(i).convHash(), List.of())) {
                if (s.index() >= limit) {
                    continue;
                }
                if (s.error()) {
                    sampleErrors++;
                    verdicts.add(Verdict.ERROR);
                } else if (s.verdict() == null || s.verdict() == Verdict.ERROR) {
                    judgeErrors++;
                    verdicts.add(Verdict.ERROR);
                } else {
                    samples++;
                    verdicts.add(s.verdict());
                    if (s.score() != null) {
                        scoreSum += s.score();
                        scored++;
                    }
                }
            }
            rows[i] = AsrEstimator.curve(verdicts, n, config.mode());
        }
        KCurve curve = KCurve.of(rows, n, config.bootstrapResamples(), config.seed() ^ seedLabel.hashCode());
        return new AsrMetrics(prompts.size(), samples, sampleErrors, judgeErrors, curve.rates(), curve.promptsAtK(), curve.ci95(),
                scored == 0 ? null : scoreSum / scored);
    }

    /** Each prompt's samples with index below {@code limit}, in index order. */
    private static List<List<SampleState>> samplesOf(List<EvalPrompt> prompts, Map<String, List<SampleState>> states, int limit) {
        return prompts.stream().map(p -> states.getOrDefault(p.convHash(), List.of()).stream().filter(s -> s.index() < limit).toList())
                .toList();
    }

    private EvalResults.BenignResults benignMetrics(ChatModel model, List<EvalPrompt> prompts, Judge refusalJudge) {
        Map<String, List<SampleState>> states = store.states(model.id(), samplingKey, refusalJudge.id());
        Map<String, List<EvalPrompt>> byCategory = new TreeMap<>();
        prompts.forEach(p -> byCategory.computeIfAbsent(p.category(), c -> new ArrayList<>()).add(p));
        Map<String, RefusalMetrics> categories = new LinkedHashMap<>();
        byCategory.forEach((c, list) -> categories.put(c, refusal(list, states, "benign/" + c)));
        RefusalMetrics all = refusal(prompts, states, "benign");
        if (all.errors() > 0) {
            warn(model.id() + ", benign: " + all.errors() + " samples are ERROR and are left out of the over-refusal rate");
        }
        return new EvalResults.BenignResults(all, categories, refusalJudge.id());
    }

    private RefusalMetrics refusal(List<EvalPrompt> prompts, Map<String, List<SampleState>> states, String seedLabel) {
        return RefusalMetrics.of(samplesOf(prompts, states, config.benignSamples()), config.bootstrapResamples(), config.seed() ^ seedLabel.hashCode());
    }

    /** Helpfulness and refusal on the benign prompts, by form. */
    private Map<String, CapabilityMetrics> capability(ChatModel model, Map<String, List<EvalPrompt>> forms, Judge refusalJudge) {
        Map<String, List<SampleState>> states = store.states(model.id(), samplingKey, refusalJudge.id());
        Map<String, CapabilityMetrics> out = new LinkedHashMap<>();
        forms.forEach((form, prompts) -> {
            CapabilityMetrics m = CapabilityMetrics.of(samplesOf(prompts, states, config.benignSamples()), refusalJudge.reportsHelpfulness(),
                    config.bootstrapResamples(), config.seed() ^ ("capability/" + form).hashCode());
            if (m.refusal().errors() > 0 && !form.equals(PlainPrompt.NAME)) {
                warn(model.id() + ", benign prompts in form " + form + ": " + m.refusal().errors()
                        + " samples are ERROR and are left out of its capability and refusal rate");
            }
            out.put(form, m);
        });
        return out;
    }
}
