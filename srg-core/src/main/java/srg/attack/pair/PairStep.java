package srg.attack.pair;

/**
 * One attempt of one PAIR stream: the attacker's prompt, the target's answer, the judge's score.
 *
 * @param stream the stream, from 0
 * @param iteration the iteration, from 1
 * @param improvement the attacker's reasoning about its previous attempt
 * @param prompt the jailbreak prompt sent to the target
 * @param response the target's answer ("" when the target failed)
 * @param score the judge's score from 1 to 10, or 0 when the attempt could not be scored
 * @param note why the score is missing or was defaulted (unreadable judge reply, target error), or null
 */
public record PairStep(int stream, int iteration, String improvement, String prompt, String response, int score, String note) {}
