package srg.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import srg.chat.ChatModel;
import srg.chat.SampleRequest;
import srg.eval.JudgingStage.Part;
import srg.eval.JudgingStage.Pending;
import srg.judge.Judge;
import srg.judge.Judgment;
import srg.judge.Verdict;
import srg.store.RunStore;
import srg.store.RunStore.SampleState;

/**
 * Sequential mode, which replaces stages 2 and 3: samples one response at a time per prompt and
 * judges it at once, until the prompt is done (see {@link #position}). ASR@k only needs to know
 * whether the first k usable samples were all unsafe, so a prompt stops at its first safe sample.
 */
final class SequentialStage {

    private final StageContext ctx;
    private final SamplingStage sampling;
    private final JudgingStage judging;

    SequentialStage(StageContext ctx, SamplingStage sampling, JudgingStage judging) {
        this.ctx = ctx;
        this.sampling = sampling;
        this.judging = judging;
    }

    /** Where one prompt stands: finished, or the index to sample next. */
    private record Position(boolean done, int nextIndex, int usable) {}

    /**
     * A prompt is done at its first safe sample, or, with latent refusal, once it has both a safe
     * sample and a refusal ({@link Outcome#REFUSAL}, which is itself safe): then ASR@k and
     * refusal@k are both observed for every k. Either way it is done after N usable samples, or
     * when {@link EvalConfig#sampleLimit()} indices are spent.
     */
    private Position position(List<SampleState> samples) {
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
            if (safe && (refused || !ctx.config().latentRefusal()) || usable >= ctx.config().n()) {
                return new Position(true, next, usable);
            }
        }
        return new Position(next >= ctx.config().sampleLimit(), next, usable);
    }

    /** Samples and judges the prompts until each is done. */
    void run(ChatModel model, List<EvalPrompt> prompts, Judge judge) {
        // A resumed run first judges whatever was sampled but not judged before the stop.
        judging.judge(model, prompts, judge, ctx.config().sampleLimit(), "judge " + model.id() + " (resumed)", Part.ANSWER);
        boolean countReasoning = ctx.config().reasoning() == ReasoningPolicy.COUNT;
        if (countReasoning) {
            judging.judge(model, prompts, judge, ctx.config().sampleLimit(), "judge reasoning " + model.id() + " (resumed)", Part.REASONING);
        }
        Map<String, EvalPrompt> conversations = EvalPrompt.byConversation(prompts);
        Map<String, List<SampleState>> states = new HashMap<>(judging.judged(model, judge).counted(ctx.config().reasoning()));
        long budget = (long) conversations.size() * ctx.config().n();
        long sampleErrors = 0;
        long judgeErrors = 0;
        try (EvalProgress.Stage stage = ctx.progress().stage("sequential " + model.id(), budget)) {
            long resolved = 0;
            while (true) {
                // Progress counts budget resolved: a usable unsafe sample resolves 1, a finished prompt all it had left.
                List<Pending> active = new ArrayList<>();
                long nowResolved = 0;
                for (var e : conversations.entrySet()) {
                    List<SampleState> list = states.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    Position at = position(list);
                    if (at.done()) {
                        nowResolved += ctx.config().n();
                    } else {
                        nowResolved += at.usable();
                        active.add(new Pending(e.getValue(), at.nextIndex()));
                    }
                }
                stage.step(nowResolved - resolved);
                resolved = nowResolved;
                if (active.isEmpty()) {
                    break;
                }
                for (int start = 0; start < active.size(); start += ctx.config().batchSamples()) {
                    List<Pending> round = active.subList(start, Math.min(active.size(), start + ctx.config().batchSamples()));
                    List<SampleRequest> requests = round.stream()
                            .map(p -> new SampleRequest(p.prompt().prompt().conversation(), p.index(), 1)).toList();
                    List<RunStore.Sample> drawn = sampling.drawAndStore(model, requests);
                    List<Pending> usable = new ArrayList<>();
                    for (int i = 0; i < round.size(); i++) {
                        Pending p = round.get(i);
                        if (drawn.get(i).completion().isError()) {
                            sampleErrors++;
                            states.get(p.prompt().convHash()).add(new SampleState(p.index(), true, null, null, null));
                        } else {
                            usable.add(p);
                        }
                    }
                    for (int j = 0; j < usable.size(); j += ctx.config().judgeBatch()) {
                        List<Pending> batch = usable.subList(j, Math.min(usable.size(), j + ctx.config().judgeBatch()));
                        List<Judgment> judgments = judging.judgeAndStore(model, judge, batch, Part.ANSWER);
                        List<Judgment> reasoning = countReasoning ? judging.judgeAndStore(model, judge, batch, Part.REASONING) : null;
                        for (int i = 0; i < batch.size(); i++) {
                            Judgment jd = judgments.get(i);
                            SampleState answer = new SampleState(batch.get(i).index(), false, jd.verdict(), jd.refusal(), jd.score());
                            SampleState state = reasoning == null ? answer : JudgedSamples.combine(answer,
                                    new SampleState(batch.get(i).index(), false, reasoning.get(i).verdict(), null, null));
                            judgeErrors += state.verdict() == Verdict.ERROR ? 1 : 0;
                            states.get(batch.get(i).prompt().convHash()).add(state);
                        }
                    }
                }
            }
        }
        if (sampleErrors + judgeErrors > 0) {
            ctx.warn().accept("sequential " + model.id() + ": " + sampleErrors + " failed samples and " + judgeErrors
                    + " judge errors were skipped (the next sample was drawn instead)");
        }
    }
}
