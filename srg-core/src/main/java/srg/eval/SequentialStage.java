package srg.eval;

import java.util.ArrayList;
import java.util.Comparator;
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
 * Sequential mode, which replaces stages 2 and 3: samples a prompt in rounds and judges each round
 * at once, until the prompt is done (see {@link #position}). ASR@k only needs to know whether the
 * first k usable samples were all unsafe, so a prompt stops at its first safe sample.
 *
 * <p>A round draws as many samples as the prompt already has usable ones (1, 1, 2, 4, ... up to
 * N): six rounds reach N = 32 instead of 32 one-sample rounds. Every figure is a statistic of the
 * first samples in index order, and sample i is the same whichever round draws it, so the figures
 * do not depend on the rounds; the doubling at most doubles a prompt's samples past its stopping
 * point, and buys big batches with one shared prefill per prompt and round (on SafetyWorld's tiny
 * models, decoding 1,024 streams together is 1.6 times as fast as 256, docs/PERFORMANCE.md).
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
    private record Position(boolean done, int nextIndex, int usable) {

        /** Samples to draw in the next round: as many as are usable so far, within N and the limit. */
        int roundSize(EvalConfig config) {
            int wanted = Math.max(1, usable);
            return Math.max(1, Math.min(wanted, Math.min(config.n() - usable, config.sampleLimit() - nextIndex)));
        }
    }

    /** One prompt's next round: {@code count} samples from {@code firstIndex}. */
    private record Round(EvalPrompt prompt, int firstIndex, int count) {}

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
        Map<String, List<SampleState>> states = new HashMap<>();
        judging.judged(model, judge).counted(ctx.config().reasoning()).forEach((hash, list) -> states.put(hash, new ArrayList<>(list)));
        long budget = (long) conversations.size() * ctx.config().n();
        long sampleErrors = 0;
        long judgeErrors = 0;
        try (EvalProgress.Stage stage = ctx.progress().stage("sequential " + model.id(), budget)) {
            long resolved = 0;
            while (true) {
                // Progress counts budget resolved: a usable unsafe sample resolves 1, a finished prompt all it had left.
                List<Round> active = new ArrayList<>();
                long nowResolved = 0;
                for (var e : conversations.entrySet()) {
                    List<SampleState> list = states.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                    list.sort(Comparator.comparingInt(SampleState::index));
                    Position at = position(list);
                    if (at.done()) {
                        nowResolved += ctx.config().n();
                    } else {
                        nowResolved += at.usable();
                        active.add(new Round(e.getValue(), at.nextIndex(), at.roundSize(ctx.config())));
                    }
                }
                stage.step(nowResolved - resolved);
                resolved = nowResolved;
                if (active.isEmpty()) {
                    break;
                }
                for (List<Round> chunk : chunks(active, ctx.config().batchSamples())) {
                    List<SampleRequest> requests = chunk.stream()
                            .map(r -> new SampleRequest(r.prompt().prompt().conversation(), r.firstIndex(), r.count())).toList();
                    List<RunStore.Sample> drawn = sampling.drawAndStore(model, requests);
                    List<Pending> usable = new ArrayList<>();
                    int row = 0;
                    for (Round r : chunk) {
                        for (int j = 0; j < r.count(); j++, row++) {
                            if (drawn.get(row).completion().isError()) {
                                sampleErrors++;
                                states.get(r.prompt().convHash()).add(new SampleState(r.firstIndex() + j, true, null, null, null));
                            } else {
                                usable.add(new Pending(r.prompt(), r.firstIndex() + j));
                            }
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

    /** Consecutive rounds of at most {@code maxSamples} samples each (a round larger than that goes alone). */
    private static List<List<Round>> chunks(List<Round> rounds, int maxSamples) {
        List<List<Round>> out = new ArrayList<>();
        List<Round> current = new ArrayList<>();
        int samples = 0;
        for (Round r : rounds) {
            if (!current.isEmpty() && samples + r.count() > maxSamples) {
                out.add(current);
                current = new ArrayList<>();
                samples = 0;
            }
            current.add(r);
            samples += r.count();
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
