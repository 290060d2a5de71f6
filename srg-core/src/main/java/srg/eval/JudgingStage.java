package srg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.attack.AttackException;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.ThinkTags;
import srg.judge.Judge;
import srg.judge.JudgeInput;
import srg.judge.Judgment;
import srg.judge.Verdict;
import srg.store.RunStore;
import srg.store.RunStore.SampleState;

/**
 * Stage 3 of Best-of-N: judging. A judge sees a sample's final answer (the text after the closing
 * think tag), decoded by the attack that made the prompt; when the reasoning is judged, it also
 * sees the reasoning, whose verdicts are stored under the judge's id plus
 * {@link #REASONING_SUFFIX}. A sample without a verdict, or with an ERROR one, is judged when the
 * run resumes.
 */
final class JudgingStage {

    /** Which part of a response a judge is shown: the final answer, or the reasoning before it. */
    enum Part { ANSWER, REASONING }

    /** One sample waiting for a verdict. */
    record Pending(EvalPrompt prompt, int index) {}

    /** Verdicts on the reasoning are stored under the judge's id with this suffix. */
    static final String REASONING_SUFFIX = "#reasoning";

    /** The rationale of the SAFE verdict given, without asking the judge, to a sample that has no reasoning. */
    static final String NO_REASONING = "no reasoning";

    private final StageContext ctx;

    JudgingStage(StageContext ctx) {
        this.ctx = ctx;
    }

    static String verdictKey(Judge judge, Part part) {
        return part == Part.ANSWER ? judge.id() : judge.id() + REASONING_SUFFIX;
    }

    /** Every sample of the model, with the judge's verdict on one part (null where not judged yet). */
    Map<String, List<SampleState>> states(ChatModel model, Judge judge, Part part) {
        return ctx.store().states(model.id(), ctx.samplingKey(), verdictKey(judge, part));
    }

    /** The model's samples with the judge's verdicts, on the reasoning too when it is judged. */
    JudgedSamples judged(ChatModel model, Judge judge) {
        Map<String, List<SampleState>> reasoning = ctx.config().reasoning() == ReasoningPolicy.OFF ? Map.of() : states(model, judge, Part.REASONING);
        return new JudgedSamples(states(model, judge, Part.ANSWER), reasoning, verdictKey(judge, Part.REASONING),
                (hash, index) -> ctx.store().completions(model.id(), hash, ctx.samplingKey(), List.of(index)).get(index).text());
    }

    /** Judges every usable sample with index below {@code limit} that has no verdict yet (or an ERROR one). */
    void judge(ChatModel model, List<EvalPrompt> prompts, Judge judge, int limit, String stageName, Part part) {
        Map<String, List<SampleState>> states = states(model, judge, part);
        List<Pending> pending = new ArrayList<>();
        for (var e : EvalPrompt.byConversation(prompts).entrySet()) {
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
        try (EvalProgress.Stage stage = ctx.progress().stage(stageName, pending.size())) {
            for (int start = 0; start < pending.size(); start += ctx.config().judgeBatch()) {
                List<Pending> batch = pending.subList(start, Math.min(pending.size(), start + ctx.config().judgeBatch()));
                errors += judgeAndStore(model, judge, batch, part).stream().filter(Judgment::isError).count();
                stage.step(batch.size());
            }
        }
        if (errors > 0) {
            ctx.warn().accept(stageName + ": the judge could not decide " + errors + " of " + pending.size()
                    + " samples; they are left out of every denominator and retried when the run is resumed");
        }
    }

    /**
     * Judges one part of each sample: the final answer (after the closing think tag; the whole
     * response when there is none), decoded by the attack; or the reasoning, undecoded, where a
     * sample without reasoning is SAFE without asking the judge.
     */
    List<Judgment> judgeAndStore(ChatModel model, Judge judge, List<Pending> batch, Part part) {
        List<JudgeInput> inputs = new ArrayList<>(batch.size());
        List<Integer> toJudge = new ArrayList<>(batch.size());
        Judgment[] judgments = new Judgment[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            EvalPrompt prompt = p.prompt();
            Completion c = ctx.store().completions(model.id(), prompt.convHash(), ctx.samplingKey(), List.of(p.index())).get(p.index());
            ThinkTags.Split split = ctx.config().tags().split(c.text());
            if (part == Part.REASONING) {
                if (split.reasoning().isEmpty()) {
                    judgments[i] = new Judgment(Verdict.SAFE, null, null, NO_REASONING);
                } else {
                    inputs.add(new JudgeInput(prompt.behavior(), prompt.prompt().conversation(), split.reasoning()));
                    toJudge.add(i);
                }
                continue;
            }
            try {
                String decoded = prompt.attack().decode(prompt.prompt(), split.reasoned() ? split.answer() : c.text());
                inputs.add(new JudgeInput(prompt.behavior(), prompt.prompt().conversation(), decoded));
                toJudge.add(i);
            } catch (AttackException e) {
                judgments[i] = Judgment.error("cannot decode the response for attack " + prompt.attack().name() + ": " + e.getMessage());
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
            rows.add(new RunStore.StoredVerdict(model.id(), p.prompt().convHash(), ctx.samplingKey(), p.index(), verdictKey(judge, part),
                    judgments[i]));
        }
        ctx.store().putVerdicts(rows);
        return List.of(judgments);
    }
}
