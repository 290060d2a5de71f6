package srg.study.safetyworld;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.chat.SamplingParams;
import srg.eval.Bootstrap;
import srg.world.AnswerNaming;
import srg.world.SafetyData;
import srg.world.World;

/**
 * Which substance a model's answers to benign requests name, per form, over the first sample of
 * every benign prompt ({@link AnswerNaming}): the asked one, one of safety training, another
 * held-out one, or none, with bootstrap 95% intervals over prompts for the first two. Beside
 * capability it tells a lost name (the answer is about another substance) from a lost answer.
 *
 * @param prompts benign prompts whose first sample was found in the run store
 */
public record AnswerFigures(int prompts, double asked, double[] askedCi95, double training, double[] trainingCi95,
        double otherHeldOut, double none) {

    /**
     * The figures of {@code model}'s samples in the run store of {@code runDir}, by attack name: the
     * evaluation's forms made with {@code seed}, its samples drawn with {@code sampling}.
     */
    static Map<String, AnswerFigures> audit(World world, long seed, SamplingParams sampling, Path runDir, String model) {
        Map<String, AnswerFigures> out = new LinkedHashMap<>();
        FirstSamples.read(world, seed, sampling, runDir, model, SafetyData.benignEval(world)).forEach((form, samples) ->
                out.put(form, of(samples.stream().map(s -> AnswerNaming.of(world, s.asked(), s.text())).toList(),
                        seed ^ form.hashCode() ^ model.hashCode())));
        return out;
    }

    static AnswerFigures of(List<AnswerNaming> namings, long seed) {
        double[][] rows = new double[namings.size()][];
        for (int i = 0; i < rows.length; i++) {
            AnswerNaming n = namings.get(i);
            rows[i] = new double[] {n == AnswerNaming.ASKED ? 1 : 0, n == AnswerNaming.TRAINING ? 1 : 0,
                n == AnswerNaming.OTHER_HELD_OUT ? 1 : 0, n == AnswerNaming.NONE ? 1 : 0};
        }
        double[][] ci = Bootstrap.meanCi95(rows, new int[] {0, 1}, 1000, seed);
        return new AnswerFigures(rows.length, Bootstrap.mean(rows, 0), ci[0], Bootstrap.mean(rows, 1), ci[1],
                Bootstrap.mean(rows, 2), Bootstrap.mean(rows, 3));
    }
}
