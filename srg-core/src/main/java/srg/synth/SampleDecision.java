package srg.synth;

import java.util.List;
import srg.data.Behavior;
import srg.judge.Judgment;

/**
 * What the rejection filter decided about one teacher sample.
 *
 * @param behavior the query
 * @param index the sample's index among the query's k samples
 * @param raw the teacher's text as received
 * @param reply the reply read strictly (reasoning and final answer, or a format problem)
 * @param coverage which guidelines the reasoning addresses; null when the format was broken
 * @param judgment the behaviour judge on the final answer; null when the format was broken
 * @param reasons why it was rejected; empty when accepted
 * @param missingGuidelines the required guidelines the reasoning does not address
 * @param kept whether it is one of the (at most m) accepted samples kept for its query
 */
public record SampleDecision(Behavior behavior, int index, String raw, TeacherReply reply, CoverageJudge.Coverage coverage,
        Judgment judgment, List<Rejection> reasons, List<String> missingGuidelines, boolean kept) {

    public SampleDecision {
        reasons = List.copyOf(reasons);
        missingGuidelines = List.copyOf(missingGuidelines);
    }

    public boolean accepted() {
        return reasons.isEmpty();
    }
}
