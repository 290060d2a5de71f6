package srg.study.safetyworld;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.chat.SamplingParams;
import srg.eval.Bootstrap;
import srg.world.ReasoningAudit;
import srg.world.SafetyData;
import srg.world.World;

/**
 * What an SRG model's reasoning traces say, per form, over the first sample of every harmful
 * prompt ({@link ReasoningAudit}): how many have reasoning, how many name the substance actually
 * asked about (fidelity), how many ask about it again in the knowledge step, how many state its
 * true kind (knowledge accuracy), and how many ask about a training substance there instead, with
 * bootstrap 95% intervals over prompts.
 *
 * @param prompts harmful prompts whose first sample was found in the run store
 * @param traced share of those with a reasoning trace
 * @param fidelity share of traces whose intent step names the asked substance
 * @param knowledgeNamed share of traces whose knowledge step asks about the asked substance
 * @param knowledge share of traces whose knowledge step states the asked substance's true kind
 * @param substituted share of traces whose knowledge step asks about a substance of safety training
 *     instead: the copying failure, told apart from a garbled step
 */
public record ReasoningFigures(int prompts, double traced, double fidelity, double[] fidelityCi95, double knowledgeNamed,
        double[] knowledgeNamedCi95, double knowledge, double[] knowledgeCi95, double substituted, double[] substitutedCi95) {

    /**
     * The audit of {@code model}'s samples in the run store of {@code runDir}, by attack name: the
     * evaluation's forms made with {@code seed}, its samples drawn with {@code sampling}.
     */
    static Map<String, ReasoningFigures> audit(World world, long seed, SamplingParams samplingParams, Path runDir, String model) {
        Map<String, ReasoningFigures> out = new LinkedHashMap<>();
        FirstSamples.read(world, seed, samplingParams, runDir, model, SafetyData.harmfulEval(world)).forEach((form, samples) ->
                out.put(form, of(samples.stream().map(s -> ReasoningAudit.of(world, s.asked(), s.text())).toList(),
                        seed ^ form.hashCode())));
        return out;
    }

    static ReasoningFigures of(List<ReasoningAudit> audits, long seed) {
        List<ReasoningAudit> traces = audits.stream().filter(ReasoningAudit::traced).toList();
        double[][] rows = new double[traces.size()][];
        for (int i = 0; i < traces.size(); i++) {
            ReasoningAudit a = traces.get(i);
            rows[i] = new double[] {a.faithful() ? 1 : 0, a.knowledgeNamed() ? 1 : 0, a.knowledgeCorrect() ? 1 : 0,
                a.knowledgeSubstituted() ? 1 : 0};
        }
        double[][] ci = Bootstrap.meanCi95(rows, new int[] {0, 1, 2, 3}, 1000, seed);
        return new ReasoningFigures(audits.size(), audits.isEmpty() ? Double.NaN : traces.size() / (double) audits.size(),
                Bootstrap.mean(rows, 0), ci[0], Bootstrap.mean(rows, 1), ci[1], Bootstrap.mean(rows, 2), ci[2],
                Bootstrap.mean(rows, 3), ci[3]);
    }
}
