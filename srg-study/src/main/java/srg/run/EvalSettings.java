package srg.run;

import java.nio.file.Path;
import java.util.List;
import srg.SettingError;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.eval.ReasoningPolicy;
import srg.eval.SamplingMode;
import srg.judge.Judges;

/**
 * What a Best-of-N evaluation does, as srg eval's flags and a study's {@code eval} section give
 * it. Errors name the settings as below; the command line shows them as flags
 * ({@code judge_batch} is {@code --judge-batch}), a study file as keys.
 *
 * @param harmful harmful dataset specs (setting {@code dataset}); rows labelled benign are skipped. A
 *     study on SafetyWorld leaves both lists empty here: its world's files are given to {@link #withData}
 * @param benign benign dataset specs for over-refusal (setting {@code benign}); may be empty
 * @param attacks the attack list, e.g. {@code none,caesar,roleplay+base64}
 * @param attacker helper model for model-assisted attacks and PAIR, or null
 * @param translator model for translation, or null (the attacker)
 * @param templates extra role-play templates, or null
 * @param demos demonstrations for few-shot and many-shot, or null
 * @param n samples per attacked prompt
 * @param mode full, or sequential (stop at the first safe sample)
 * @param judge the judge spec
 * @param refusalJudge the judge of benign prompts, or null (the judge if it reports refusals, else the default)
 * @param benignN samples per benign prompt
 * @param benignUnderAttacks benign prompts through every attack too (capability by form)
 * @param latentRefusal in sequential mode, sample on until a refusal too
 * @param judgeReasoning whether reasoning is judged, and counted
 * @param thinkTags the reasoning's tags
 * @param sampling the target's sampling (its seed is {@code seed})
 * @param seed seed of sampling, attacks and the bootstrap
 * @param batch samples per model call and per store transaction
 * @param judgeBatch responses per judge call
 * @param bootstrap bootstrap resamples for the intervals (0: none)
 * @param maxErrorRate the share of failed samples above which a model's run counts as failed
 */
public record EvalSettings(List<String> harmful, List<String> benign, String attacks, String attacker, String translator,
        Path templates, Path demos, int n, SamplingMode mode, String judge, String refusalJudge, int benignN,
        boolean benignUnderAttacks, boolean latentRefusal, ReasoningPolicy judgeReasoning, ThinkTags thinkTags,
        SamplingParams sampling, long seed, int batch, int judgeBatch, int bootstrap, double maxErrorRate) {

    /** srg eval's defaults. */
    public static final int DEFAULT_N = 16;
    public static final int DEFAULT_BATCH = 512;
    public static final int DEFAULT_JUDGE_BATCH = 64;
    public static final int DEFAULT_BOOTSTRAP = 1000;
    public static final double DEFAULT_MAX_ERROR_RATE = 0.5;

    public EvalSettings {
        harmful = List.copyOf(harmful);
        benign = List.copyOf(benign);
        atLeast("n", n, 1);
        atLeast("benign_n", benignN, 1);
        atLeast("batch", batch, 1);
        atLeast("judge_batch", judgeBatch, 1);
        atLeast("bootstrap", bootstrap, 0);
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw SettingError.of("max_error_rate", "must be in [0, 1], got " + maxErrorRate);
        }
        if (judge == null || judge.isBlank()) {
            judge = Judges.DEFAULT;
        }
        if (attacks == null || attacks.isBlank()) {
            attacks = "none";
        }
        if (sampling.seed() != seed) {
            throw new IllegalArgumentException("the sampling seed is the evaluation's seed");
        }
    }

    private static void atLeast(String setting, long value, long min) {
        if (value < min) {
            throw SettingError.of(setting, "must be at least " + min + ", got " + value);
        }
    }

    /** The same settings on other datasets. */
    public EvalSettings withData(List<String> newHarmful, List<String> newBenign) {
        return new EvalSettings(newHarmful, newBenign, attacks, attacker, translator, templates, demos, n, mode, judge, refusalJudge,
                benignN, benignUnderAttacks, latentRefusal, judgeReasoning, thinkTags, sampling, seed, batch, judgeBatch, bootstrap,
                maxErrorRate);
    }
}
