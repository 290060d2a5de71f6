package srg.cli;

import java.util.List;
import srg.attack.Attack;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.chat.ChatModel;

/** Turns {@code --attacks none,caesar,roleplay+base64} into attacks: the one place where srg eval resolves attack names. */
final class AttackOpener {

    private AttackOpener() {}

    /**
     * Resolves a comma-separated attack list through the {@link AttackRegistry}: the seed makes
     * every attack deterministic, the attacker model (or null) serves model-assisted attacks
     * (past tense, PAP, translation); the registry says when one is missing.
     */
    static List<Attack> open(String list, long seed, ChatModel attacker) {
        AttackOptions options = AttackOptions.seeded(seed);
        if (attacker != null) {
            options = options.withAttacker(attacker);
        }
        return AttackRegistry.parse(list, options);
    }
}
