package srg.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.SettingError;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackException;
import srg.attack.AttackKind;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.attack.AttackedPrompt;
import srg.chat.Conversation;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.engine.hidden.HiddenStateExtractor;
import srg.eval.EvalProgress;
import srg.model.ModelSpec;
import srg.probe.HiddenStateExtraction;
import srg.probe.HiddenStateSource;
import srg.probe.HiddenStateStore;
import srg.probe.ProbeAnalysis;
import srg.probe.ProbeHtml;
import srg.probe.ProbeJson;
import srg.probe.ProbePrompt;
import srg.probe.ProbeResults;
import srg.probe.ProbeSet;
import srg.report.RunReport;

/**
 * A representation analysis from its {@link ProbeSettings}: the ID and OOD prompt sets, hidden
 * states of each model (stored in the run folder's {@code hidden/}, reused when already there),
 * the analyses, and probe.json, probe.html and report.html. srg probe and the study's probe stage
 * run through here.
 */
public final class Probing {

    /** What the analysis reads from the rest of srg; tests give their own. */
    public interface Sources {
        /** Opens {@code spec} (a model spec) for hidden-state extraction, {@code batchSize} prompts a forward pass. */
        HiddenStateSource openModel(String spec, int batchSize);

        /** Reads the behaviors of a dataset given as the setting {@code setting}. */
        List<Behavior> readBehaviors(String dataset, String setting);

        /** The static attack called {@code name}, made deterministic by {@code seed}. */
        Attack attack(String name, long seed);
    }

    private final ProbeSettings settings;
    private final Console console;

    public Probing(ProbeSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
    }

    /** The in-process engine, the dataset loaders and the attack catalogue (with a study's own attacks). */
    public static Sources standard(Extensions extensions) {
        return new Sources() {
            @Override
            public HiddenStateSource openModel(String text, int batchSize) {
                ModelSpec spec = ModelSpec.parse(text);
                if (spec.kind() != ModelSpec.Kind.LOCAL) {
                    throw SettingError.of("model", text + ": hidden states are read in-process, so the model must be a "
                            + "local Hugging Face checkpoint folder (an HTTP server does not expose them)");
                }
                try {
                    return HiddenStateExtractor.owning(spec.id(), ModelOpener.loadLocal(spec), batchSize);
                } catch (UserError e) {
                    throw SettingError.of("model", e.getMessage());
                }
            }

            @Override
            public List<Behavior> readBehaviors(String dataset, String setting) {
                try {
                    return DatasetLoader.load(DatasetSpec.parse(dataset), true).behaviors();
                } catch (UserError e) {
                    throw SettingError.of(setting, e.getMessage());
                }
            }

            @Override
            public Attack attack(String name, long seed) {
                Attack own = extensions.attack(name, seed);
                if (own != null) {
                    return own;
                }
                List<Attack> attacks = AttackRegistry.parse(name, AttackOptions.seeded(seed));
                if (attacks.size() != 1) {
                    throw SettingError.of("attacks", "'" + name + "' names " + attacks.size() + " attacks; give one per entry");
                }
                if (attacks.get(0).kind() != AttackKind.STATIC) {
                    throw SettingError.of("attacks", name + ": the probe takes static attacks only (it has no helper model);"
                            + " write the prompts with an attack run and give the file as an OOD set");
                }
                return attacks.get(0);
            }
        };
    }

    /** The ID sets, the OOD sets and one set per attack, with their names checked. */
    public List<ProbeSet> sets(Sources sources) {
        List<ProbeSet> sets = new ArrayList<>();
        List<Behavior> harmful = sources.readBehaviors(settings.idHarmful(), "id_harmful");
        sets.add(new ProbeSet(ProbeSet.ID_HARMFUL, prompts(harmful, true)));
        sets.add(new ProbeSet(ProbeSet.ID_BENIGN, prompts(sources.readBehaviors(settings.idBenign(), "id_benign"), false)));
        Map<String, String> origin = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.ood().entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw SettingError.of("ood", name + ": expected NAME=FILE");
            }
            checkOodName(name, "ood", name + "=" + e.getValue(), origin);
            List<ProbePrompt> prompts = new ArrayList<>();
            for (Behavior b : sources.readBehaviors(e.getValue(), "ood")) {
                prompts.add(new ProbePrompt(b.id(), b.harmful(), Conversation.user(b.prompt())));
            }
            sets.add(new ProbeSet(name, prompts));
        }
        for (String name : settings.attacks()) {
            Attack attack = sources.attack(name.trim(), settings.seed());
            checkOodName(attack.name(), "attacks", name, origin);
            List<ProbePrompt> prompts = new ArrayList<>();
            int failed = 0;
            for (Behavior b : harmful) {
                try {
                    for (AttackedPrompt p : attack.apply(b)) {
                        prompts.add(new ProbePrompt(b.id(), true, p.conversation()));
                    }
                } catch (AttackException ex) {
                    failed++;
                }
            }
            if (failed > 0) {
                console.warn("attack " + attack.name() + " failed on " + failed + " of " + harmful.size()
                        + " behaviors; they are left out of its set");
            }
            sets.add(new ProbeSet(attack.name(), prompts));
        }
        for (ProbeSet s : sets) {
            if (s.prompts().size() < 2) {
                throw new UserError("set '" + s.name() + "' has " + s.prompts().size() + " prompt(s); every set needs at least 2");
            }
        }
        return sets;
    }

    private static void checkOodName(String name, String setting, String where, Map<String, String> seen) {
        try {
            ProbeSet.checkName(name, where);
        } catch (UserError e) {
            throw SettingError.of(setting, e.getMessage());
        }
        if (ProbeSet.roleOf(name) != ProbeSet.Role.OOD) {
            throw SettingError.of(setting, where + ": '" + name + "' is reserved for the ID sets; pick another name");
        }
        String before = seen.putIfAbsent(name, setting + " " + where);
        if (before != null) {
            throw SettingError.of(setting, where + ": set name '" + name + "' is already used by " + before);
        }
    }

    private static List<ProbePrompt> prompts(List<Behavior> behaviors, boolean harmful) {
        List<ProbePrompt> out = new ArrayList<>();
        for (Behavior b : behaviors) {
            out.add(new ProbePrompt(b.id(), harmful, Conversation.user(b.prompt())));
        }
        return out;
    }

    /**
     * Extracts every set from each model into {@code store} (sets already stored are reused);
     * returns the models' ids.
     */
    public List<String> extract(Sources sources, List<String> models, List<ProbeSet> sets, HiddenStateStore store)
            throws IOException {
        List<String> ids = new ArrayList<>();
        for (String model : models) {
            String note = ModelOpener.precisionNote(ModelSpec.parse(model));
            if (note != null) {
                console.info(note);
            }
            try (HiddenStateSource source = sources.openModel(model, settings.batchSize())) {
                int[] layers = settings.layers().resolve(source.numLayers());
                HiddenStateExtraction extraction = new HiddenStateExtraction(store);
                long rows = sets.stream().mapToLong(s -> s.prompts().size()).sum();
                List<String> reused = new ArrayList<>();
                try (EvalProgress.Stage bar = console.stage("extract " + source.id(), rows)) {
                    for (ProbeSet set : sets) {
                        if (extraction.extract(source, set, layers, settings.batchSize(), bar::step)
                                == HiddenStateExtraction.Outcome.REUSED) {
                            reused.add(set.name());
                        }
                    }
                }
                if (!reused.isEmpty()) {
                    console.info(source.id() + ": hidden states of " + String.join(", ", reused) + " already stored, reused");
                }
                ids.add(source.id());
            }
        }
        return ids;
    }

    /**
     * Analyses the models' stored states (of {@code oodSets}, or every stored OOD set when null)
     * and writes probe.json, probe.html and report.html into {@code runDir}.
     */
    public ProbeResults analyse(HiddenStateStore store, List<String> models, List<String> oodSets, Path runDir) throws IOException {
        ProbeAnalysis.Options options = new ProbeAnalysis.Options(settings.poolings(), settings.layers(), settings.pcaLayer(),
                oodSets, settings.l2(), ProbeAnalysis.ID_HELD_OUT_FRACTION, settings.seed());
        Map<String, ProbeResults.ModelProbe> results = new LinkedHashMap<>();
        for (String model : models) {
            try (EvalProgress.Stage bar = console.stage("analyse " + model, ProbeAnalysis.steps(store, model, options))) {
                results.put(model, ProbeAnalysis.analyse(store, model, options, bar::step));
            }
        }
        ProbeResults probe = new ProbeResults(options.config(), results);
        ProbeJson.write(runDir.resolve(ProbeJson.FILE), probe);
        ProbeHtml.write(runDir.resolve(ProbeHtml.FILE), probe);
        // The run's report.html gathers every section found in the folder, so the probe plots sit
        // next to the ASR curves when an evaluation wrote to the same folder.
        RunReport.write(RunReport.folders(List.of(runDir)), runDir.resolve(RunReport.FILE_NAME));
        return probe;
    }

    /**
     * Analyses the hidden states already in {@code stored}, of {@code models} or, when none is
     * named, of every stored model, into {@code runDir}.
     */
    public ProbeResults analyseStored(HiddenStateStore stored, List<String> models, Path runDir) throws IOException {
        List<String> ids = models.isEmpty() ? stored.models() : models;
        if (ids.isEmpty()) {
            throw SettingError.of("from_hidden", "no hidden states stored in " + stored.root());
        }
        return analyse(stored, ids, null, runDir);
    }

    /** Extracts and analyses {@code models} into {@code runDir}. */
    public ProbeResults run(Sources sources, List<String> models, Path runDir) throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(runDir);
        List<ProbeSet> sets = sets(sources);
        List<String> ood = sets.stream().filter(s -> s.role() == ProbeSet.Role.OOD).map(ProbeSet::name).toList();
        List<String> ids = extract(sources, models, sets, store);
        return analyse(store, ids, ood, runDir);
    }
}
