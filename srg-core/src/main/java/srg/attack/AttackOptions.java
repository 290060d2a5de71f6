package srg.attack;

import java.nio.file.Path;
import srg.chat.ChatModel;
import srg.chat.SamplingParams;

/**
 * Everything attacks may need besides their own parameters. Only the seed is required; the rest
 * is needed by some attacks only, and {@link AttackRegistry} says which when it is missing.
 *
 * @param seed the run's seed: every random choice of every attack derives from it
 * @param attacker the helper model for past tense, PAP and PAIR's attacker, or null
 * @param translator the model for the translation attack and its back-translation, or null to
 *     use the attacker
 * @param target the model under attack, needed by PAIR only, or null
 * @param judge the model that scores PAIR's attempts from 1 to 10, or null
 * @param templates a folder or YAML file of role-play templates added to the built-in ones, or null
 * @param demonstrations a JSONL/JSON/YAML file of demonstrations for few-shot and many-shot, or null
 * @param attackerSampling how the attacker samples (rewrites, PAIR prompts)
 * @param translatorSampling how the translator samples
 */
public record AttackOptions(
        long seed,
        ChatModel attacker,
        ChatModel translator,
        ChatModel target,
        ChatModel judge,
        Path templates,
        Path demonstrations,
        SamplingParams attackerSampling,
        SamplingParams translatorSampling) {

    /**
     * Options with only a seed. Rewriters sample at temperature 1 as in the past-tense and PAP
     * papers; translation is greedy, with room for translating long answers back.
     */
    public static AttackOptions seeded(long seed) {
        return new AttackOptions(seed, null, null, null, null, null, null,
                SamplingParams.of(1.0, 1024, seed), SamplingParams.greedy(4096).withSeed(seed));
    }

    public AttackOptions withAttacker(ChatModel model) {
        return new AttackOptions(seed, model, translator, target, judge, templates, demonstrations, attackerSampling, translatorSampling);
    }

    public AttackOptions withTranslator(ChatModel model) {
        return new AttackOptions(seed, attacker, model, target, judge, templates, demonstrations, attackerSampling, translatorSampling);
    }

    /** The model under attack and the judge that scores it, for PAIR. */
    public AttackOptions withTargetAndJudge(ChatModel targetModel, ChatModel judgeModel) {
        return new AttackOptions(seed, attacker, translator, targetModel, judgeModel, templates, demonstrations, attackerSampling, translatorSampling);
    }

    public AttackOptions withTemplates(Path path) {
        return new AttackOptions(seed, attacker, translator, target, judge, path, demonstrations, attackerSampling, translatorSampling);
    }

    public AttackOptions withDemonstrations(Path path) {
        return new AttackOptions(seed, attacker, translator, target, judge, templates, path, attackerSampling, translatorSampling);
    }

    public AttackOptions withAttackerSampling(SamplingParams params) {
        return new AttackOptions(seed, attacker, translator, target, judge, templates, demonstrations, params, translatorSampling);
    }

    public AttackOptions withTranslatorSampling(SamplingParams params) {
        return new AttackOptions(seed, attacker, translator, target, judge, templates, demonstrations, attackerSampling, params);
    }

    /** The translator, or the attacker when no separate translator is set. */
    public ChatModel translatorOrAttacker() {
        return translator != null ? translator : attacker;
    }
}
