package srg.synth;

import java.util.ArrayList;
import java.util.List;
import srg.UserError;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.ThinkTags;
import srg.data.Behavior;
import srg.judge.Judge;
import srg.judge.JudgeInput;
import srg.judge.Judges;
import srg.judge.Judgment;
import srg.judge.Verdict;

/**
 * Rejection sampling of teacher samples. A sample is accepted when
 *
 * <ul>
 *   <li>its format holds: both tags once each, in order, non-empty reasoning, a final answer
 *       ({@link TeacherReply});
 *   <li>its reasoning addresses every required guideline ({@link CoverageJudge});
 *   <li>its final answer behaves: a refusal for a harmful query, a non-refusal for a benign one,
 *       as the behaviour judge (which must report refusals) sees the final answer alone.
 * </ul>
 *
 * Of a query's accepted samples, the first {@code keep} in index order are kept.
 */
public final class RejectionFilter {

    private final Guidelines guidelines;
    private final CoverageJudge coverage;
    private final Judge judge;
    private final int keep;
    private final ThinkTags tags;

    public RejectionFilter(Guidelines guidelines, ThinkTags tags, CoverageJudge coverage, Judge judge, int keep) {
        if (!judge.reportsRefusal()) {
            throw new UserError("judge " + judge.id() + " does not say whether an answer refuses; the filter needs "
                    + Judges.REPORTING_REFUSALS);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1");
        }
        this.guidelines = guidelines;
        this.tags = tags;
        this.coverage = coverage;
        this.judge = judge;
        this.keep = keep;
    }

    public Guidelines guidelines() {
        return guidelines;
    }

    public CoverageJudge coverageJudge() {
        return coverage;
    }

    public Judge judge() {
        return judge;
    }

    public int keep() {
        return keep;
    }

    /** Decides the samples of a batch of queries: {@code samples.get(q)} are query q's samples, in index order from 0. */
    public List<List<SampleDecision>> decide(List<Behavior> queries, List<List<Completion>> samples) {
        if (queries.size() != samples.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + samples.size() + " sample lists");
        }
        List<TeacherReply[]> replies = new ArrayList<>();
        List<CoverageJudge.Input> coverageInputs = new ArrayList<>();
        List<JudgeInput> judgeInputs = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            Behavior b = queries.get(q);
            TeacherReply[] parsed = new TeacherReply[samples.get(q).size()];
            for (int i = 0; i < parsed.length; i++) {
                parsed[i] = TeacherReply.parse(samples.get(q).get(i), tags);
                if (parsed[i].wellFormed()) {
                    coverageInputs.add(new CoverageJudge.Input(b.prompt(), parsed[i].reasoning()));
                    judgeInputs.add(new JudgeInput(b, Conversation.user(b.prompt()), parsed[i].answer()));
                }
            }
            replies.add(parsed);
        }
        List<CoverageJudge.Coverage> covered = coverage.check(coverageInputs);
        List<Judgment> judged = judgeInputs.isEmpty() ? List.of() : judge.judge(judgeInputs);
        if (covered.size() != coverageInputs.size() || judged.size() != judgeInputs.size()) {
            throw new IllegalStateException("a judge returned the wrong number of decisions");
        }
        List<List<SampleDecision>> out = new ArrayList<>();
        int next = 0;
        for (int q = 0; q < queries.size(); q++) {
            Behavior b = queries.get(q);
            List<SampleDecision> decisions = new ArrayList<>();
            int kept = 0;
            for (int i = 0; i < replies.get(q).length; i++) {
                TeacherReply reply = replies.get(q)[i];
                String raw = samples.get(q).get(i).text();
                if (!reply.wellFormed()) {
                    decisions.add(new SampleDecision(b, i, raw, reply, null, null, List.of(reply.problem()), List.of(), false));
                    continue;
                }
                CoverageJudge.Coverage c = covered.get(next);
                Judgment j = judged.get(next);
                next++;
                List<Rejection> reasons = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                if (c.isError()) {
                    reasons.add(Rejection.COVERAGE_ERROR);
                } else {
                    for (Guideline g : guidelines.requiredGuidelines()) {
                        if (!Boolean.TRUE.equals(c.addressed().get(g.name()))) {
                            missing.add(g.name());
                        }
                    }
                    if (!missing.isEmpty()) {
                        reasons.add(Rejection.GUIDELINE_MISSING);
                    }
                }
                Rejection behaviour = behaviour(b, j);
                if (behaviour != null) {
                    reasons.add(behaviour);
                }
                boolean keepIt = reasons.isEmpty() && kept < keep;
                kept += keepIt ? 1 : 0;
                decisions.add(new SampleDecision(b, i, raw, reply, c, j, reasons, missing, keepIt));
            }
            out.add(decisions);
        }
        return out;
    }

    /** The behaviour problem of a final answer, or null when it behaves. */
    static Rejection behaviour(Behavior b, Judgment j) {
        if (j.isError() || j.refusal() == null) {
            return Rejection.JUDGE_ERROR;
        }
        if (b.harmful()) {
            return j.refusal() && j.verdict() == Verdict.SAFE ? null : Rejection.HARMFUL_NOT_REFUSED;
        }
        return j.refusal() ? Rejection.BENIGN_REFUSED : null;
    }
}
