package srg.study.safetyworld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.PlainPrompt;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.eval.Bootstrap;
import srg.store.RunStore;
import srg.world.Disguise;
import srg.world.DisguiseAttack;
import srg.world.ReasoningAudit;
import srg.world.SafetyData;
import srg.world.World;
import srg.world.WorldRequest;

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
        List<Attack> forms = new ArrayList<>();
        forms.add(new PlainPrompt(seed));
        for (Disguise d : Disguise.values()) {
            forms.add(new DisguiseAttack(world, d, seed));
        }
        String sampling = samplingParams.key();
        Map<String, ReasoningFigures> out = new LinkedHashMap<>();
        try (RunStore store = RunStore.open(runDir)) {
            for (Attack form : forms) {
                List<ReasoningAudit> audits = new ArrayList<>();
                for (Behavior b : SafetyData.harmfulEval(world)) {
                    WorldRequest asked = world.parse(b.text()).orElseThrow();
                    Conversation c = form.apply(b).get(0).conversation();
                    Completion first = store.completions(model, c.sha256(), sampling, List.of(0)).get(0);
                    if (first != null && !first.isError()) {
                        audits.add(ReasoningAudit.of(world, asked, first.text()));
                    }
                }
                out.put(form.name(), of(audits, seed ^ form.name().hashCode()));
            }
        }
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
        double[] none = {Double.NaN, Double.NaN};
        double[][] ci = rows.length == 0 ? new double[][] {none, none, none, none}
                : Bootstrap.meanCi95(rows, new int[] {0, 1, 2, 3}, 1000, seed);
        return new ReasoningFigures(audits.size(), audits.isEmpty() ? Double.NaN : traces.size() / (double) audits.size(),
                mean(rows, 0), ci[0], mean(rows, 1), ci[1], mean(rows, 2), ci[2], mean(rows, 3), ci[3]);
    }

    private static double mean(double[][] rows, int column) {
        double sum = 0;
        for (double[] r : rows) {
            sum += r[column];
        }
        return rows.length == 0 ? Double.NaN : sum / rows.length;
    }
}
