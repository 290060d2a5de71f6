package srg.cli;

import java.util.ArrayList;
import java.util.List;
import srg.UserError;
import srg.attack.Attack;
import srg.chat.ChatModel;
import srg.eval.NoAttack;

/** Turns {@code --attacks none,caesar,roleplay+base64} into attacks: the one place where srg eval resolves attack names. */
final class AttackOpener {

    private AttackOpener() {}

    /**
     * Resolves a comma-separated attack list.
     *
     * <p>Only {@code none} is available in this build: the attack suite (with its registry) is
     * written in parallel and plugs in here, taking the same arguments: the seed for
     * deterministic attacks and the optional attacker model for model-assisted ones.
     */
    static List<Attack> open(String list, long seed, ChatModel attacker) {
        List<Attack> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (names.contains(name)) {
                throw new UserError("--attacks: '" + name + "' is listed twice");
            }
            names.add(name);
            if (!name.equals(NoAttack.NAME)) {
                throw new UserError("--attacks: unknown attack '" + name + "'; this build knows only 'none' (plain prompts)");
            }
            out.add(new NoAttack());
        }
        if (out.isEmpty()) {
            throw new UserError("--attacks: empty list; use 'none' for plain prompts");
        }
        return out;
    }
}
