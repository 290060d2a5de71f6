package srg.cli;

import java.util.List;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.engine.hidden.HiddenStateExtractor;
import srg.model.ModelSpec;
import srg.probe.HiddenStateSource;

/** What srg probe uses from the rest of srg: the in-process engine, the dataset loaders, the attack suite. */
final class ProbeWiring implements ProbeCommand.Wiring {

    @Override
    public HiddenStateSource openModel(String text, int batchSize) {
        ModelSpec spec = ModelSpec.parse(text);
        if (spec.kind() != ModelSpec.Kind.LOCAL) {
            throw new UserError("--model " + text + ": srg probe reads hidden states in-process, so the model must be a "
                    + "local Hugging Face checkpoint folder (an HTTP server does not expose them)");
        }
        try {
            return HiddenStateExtractor.owning(spec.id(), ModelOpener.loadLocal(spec), batchSize);
        } catch (UserError e) {
            throw new UserError("--model " + e.getMessage(), e);
        }
    }

    @Override
    public List<Behavior> readBehaviors(String dataset, String flag) {
        try {
            return DatasetLoader.load(DatasetSpec.parse(dataset), true).behaviors();
        } catch (UserError e) {
            throw new UserError(flag + " " + dataset + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Attack attack(String name, long seed) {
        List<Attack> attacks = AttackRegistry.parse(name, AttackOptions.seeded(seed));
        if (attacks.size() != 1) {
            throw new UserError("--attacks: '" + name + "' names " + attacks.size() + " attacks; give one per entry");
        }
        if (attacks.get(0).kind() != AttackKind.STATIC) {
            throw new UserError("--attacks " + name + ": srg probe takes static attacks only (it has no helper model);"
                    + " write the prompts with srg attack and give the file as --ood " + name + "=FILE");
        }
        return attacks.get(0);
    }
}
