package srg.attack.pair;

import java.util.List;
import srg.data.Behavior;

/**
 * The whole PAIR search for one behavior.
 *
 * @param behavior the behavior attacked
 * @param targetString the opening the attacker was told to aim for
 * @param steps every attempt, in order of iteration then stream
 * @param best the highest-scoring attempt (earliest on ties)
 * @param jailbroken whether the best score reached the stop score
 * @param targetQueries how many prompts were sent to the target
 * @param errors attacker replies that stayed malformed (their streams were dropped)
 */
public record PairResult(
        Behavior behavior, String targetString, List<PairStep> steps, PairStep best, boolean jailbroken,
        int targetQueries, List<String> errors) {

    public PairResult {
        steps = List.copyOf(steps);
        errors = List.copyOf(errors);
    }
}
