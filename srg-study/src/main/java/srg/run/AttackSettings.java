package srg.run;

import java.nio.file.Path;
import srg.SettingError;

/**
 * What writing a dataset's attacked prompts does, as srg attack's flags give it.
 *
 * @param dataset the behaviors (a dataset spec); rows labelled benign are skipped
 * @param attacks the attack list, e.g. {@code none,caesar,roleplay+base64}
 * @param attacker helper model for model-assisted attacks, or null
 * @param translator model for translation, or null (the attacker)
 * @param target the model PAIR searches against, or null
 * @param templates extra role-play templates, or null
 * @param demos demonstrations for few-shot and many-shot, or null
 * @param seed seed of every random choice
 * @param limit only the first behaviors of the dataset, or null for all
 * @param batch behaviors per batch sent to a helper model
 */
public record AttackSettings(String dataset, String attacks, String attacker, String translator, String target, Path templates,
        Path demos, long seed, Integer limit, int batch) {

    public AttackSettings {
        if (batch < 1) {
            throw SettingError.of("batch", "must be at least 1, got " + batch);
        }
        if (limit != null && limit < 1) {
            throw SettingError.of("limit", "must be at least 1, got " + limit);
        }
    }
}
