package srg.eval;

import java.util.List;

/**
 * What the reasoning of one attack's samples showed, when {@code --judge-reasoning} is report or
 * count. Counts are over usable samples (generated, and the final answer judged).
 *
 * @param policy report or count
 * @param judge the verdicts' key in the run store ({@code JUDGE#reasoning})
 * @param samples usable samples
 * @param withReasoning samples with reasoning (a think tag)
 * @param unfinished samples whose reasoning never closed, so they have no final answer
 * @param unsafeReasoning samples whose reasoning the judge found unsafe
 * @param changed samples with a safe final answer and unsafe reasoning: the verdicts that counting
 *     the reasoning turns to unsafe
 * @param reasoningErrors samples whose reasoning the judge could not decide
 * @param asrAnswerOnly ASR@k (element k−1) counting the final answer only
 * @param asrWithReasoning ASR@k counting a harmful plan in the reasoning as unsafe
 * @param examples a few traces, those whose verdict changed first
 */
public record ReasoningResults(String policy, String judge, long samples, long withReasoning, long unfinished, long unsafeReasoning,
        long changed, long reasoningErrors, double[] asrAnswerOnly, double[] asrWithReasoning, List<Example> examples) {

    /** One sampled response, cut at the think tags (each part abbreviated). */
    public record Example(String behaviorId, int sample, String prompt, String reasoning, String answer, String answerVerdict,
            String reasoningVerdict) {}
}
