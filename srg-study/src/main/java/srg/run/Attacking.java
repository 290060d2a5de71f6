package srg.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.SettingError;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.attack.AttackedPromptFile;
import srg.chat.ChatModel;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.io.RunLock;

/**
 * A dataset's attacked prompts from {@link AttackSettings}, written to an
 * {@link AttackedPromptFile}: opens the helper and target models, makes the attacks, loads the
 * behaviors and writes, resuming an interrupted write. srg attack runs through here.
 */
public final class Attacking {

    private final AttackSettings settings;
    private final Console console;

    public Attacking(AttackSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
    }

    /**
     * What one write made.
     *
     * @param behaviors behaviors attacked
     * @param attacks attacks applied to each
     */
    public record Outcome(AttackedPromptFile.Written written, int behaviors, int attacks) {}

    /** Writes the attacked prompts to {@code out}, locked while it is written: a second write into it stops at once. */
    public Outcome run(Path out) throws IOException {
        try (OpenedModels opened = new OpenedModels(console)) {
            List<Attack> attacks = attacks(opened);
            List<Behavior> behaviors = DatasetLoader.load(DatasetSpec.parse(settings.dataset()), true).harmful();
            if (settings.limit() != null && settings.limit() < behaviors.size()) {
                behaviors = behaviors.subList(0, settings.limit());
            }
            try (RunLock lock = RunLock.file(out)) {
                AttackedPromptFile.Written written = new AttackedPromptFile(out).write(attacks, behaviors, settings.seed(),
                        settings.batch(), console);
                return new Outcome(written, behaviors.size(), attacks.size());
            }
        }
    }

    /** The attacks, with their helper models, and PAIR aimed at the target. */
    private List<Attack> attacks(OpenedModels opened) {
        AttackOptions options = AttackOptions.seeded(settings.seed()).withTemplates(settings.templates())
                .withDemonstrations(settings.demos());
        if (settings.attacker() != null) {
            options = options.withAttacker(open(opened, "attacker", settings.attacker()));
        }
        if (settings.translator() != null) {
            options = options.withTranslator(open(opened, "translator", settings.translator()));
        }
        List<Attack> attacks = AttackRegistry.parse(settings.attacks(), options);
        boolean iterative = attacks.stream().anyMatch(a -> a.kind() == AttackKind.ITERATIVE);
        if (iterative && settings.target() == null) {
            throw SettingError.naming("{attacks} " + settings.attacks() + ": pair searches against a model; give it with {target} SPEC",
                    "attacks", "target");
        }
        if (iterative) {
            ChatModel target = open(opened, "target", settings.target());
            return attacks.stream().map(a -> a.against(target)).toList();
        }
        if (settings.target() != null) {
            console.warn("the target setting is used by pair only; ignored");
        }
        return attacks;
    }

    /** Opens the model given as {@code setting}; errors name the setting. */
    private static ChatModel open(OpenedModels opened, String setting, String spec) {
        try {
            return opened.open(spec);
        } catch (UserError e) {
            throw SettingError.of(setting, e.getMessage());
        }
    }
}
