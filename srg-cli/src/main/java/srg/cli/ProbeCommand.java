package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackException;
import srg.attack.AttackedPrompt;
import srg.chat.Conversation;
import srg.data.Behavior;
import srg.io.RunLock;
import srg.probe.HiddenStateExtraction;
import srg.probe.HiddenStateSource;
import srg.probe.HiddenStateStore;
import srg.probe.LayerSelection;
import srg.probe.LogisticProbe;
import srg.probe.Pooling;
import srg.probe.ProbeAnalysis;
import srg.probe.ProbeHtml;
import srg.probe.ProbeJson;
import srg.probe.ProbePrompt;
import srg.probe.ProbeResults;
import srg.probe.ProbeSet;
import srg.report.RunReport;

/**
 * {@code srg probe}: extracts hidden states of ID harmful, ID benign and OOD prompt sets from one
 * or more models, then measures how the OOD sets sit relative to what the model learned (PCA,
 * linear-probe transfer, refusal direction, domain divergence). Writes {@code probe.json},
 * {@code probe.html} and the run's {@code report.html} into the run folder.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Representation analysis: why refusal training fails out of distribution.",
            "",
            "Extracts each model's hidden states (last prompt token and mean-pooled, per layer) for the ID "
                    + "harmful, ID benign and OOD sets into RUN_DIR/hidden/, then, per layer: fits PCA and a "
                    + "logistic-regression probe on ID harmful vs benign, tests the probe on each OOD set, measures "
                    + "each OOD set's mean shift against the refusal direction, and its divergence from ID harmful "
                    + "(proxy A-distance, linear MMD). Writes RUN_DIR/probe.json, RUN_DIR/probe.html and RUN_DIR/report.html.",
            "",
            "Models run in-process (--model is a Hugging Face checkpoint folder: local:PATH[?device=cuda][&adapter=LORA_DIR][&name=NAME]); "
                    + "datasets use the srg eval dataset specs; --attacks takes srg attack names. --from-hidden "
                    + "analyses hidden states already stored in a run folder (layout in docs/PROBE.md).",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  srg probe --model ./rt --model ./srg --id-harmful harmful.csv \\",
            "      --id-benign benign.json --attacks past_tense,caesar \\",
            "      --ood xstest=xstest_prompts.csv --layers all --out runs/probe1",
            "  srg probe --from-hidden runs/probe1 --pooling last --pca-layer 12",
        })
final class ProbeCommand implements Callable<Integer> {

    /** What srg probe takes from the rest of srg ({@link ProbeWiring}); tests pass their own. */
    interface Wiring {
        /** Opens {@code spec} (a {@code --model} value) for hidden-state extraction, {@code batchSize} prompts a forward pass. */
        HiddenStateSource openModel(String spec, int batchSize);

        /** Reads the behaviors of a dataset file given to {@code flag}. */
        List<Behavior> readBehaviors(String dataset, String flag);

        /** The attack called {@code name} on the command line, made deterministic by {@code seed}. */
        Attack attack(String name, long seed);
    }


    @Option(names = "--model", paramLabel = "SPEC",
            description = "A model to probe (repeatable). With --from-hidden: a stored model id to analyse (default: all).")
    List<String> models = new ArrayList<>();

    @Option(names = "--id-harmful", paramLabel = "FILE",
            description = "In-distribution harmful behaviors (every row counts as harmful); FILE?limit=N&... as in srg eval.")
    String idHarmful;

    @Option(names = "--id-benign", paramLabel = "FILE",
            description = "In-distribution benign behaviors (every row counts as benign).")
    String idBenign;

    @Option(names = "--ood", paramLabel = "NAME=FILE", mapFallbackValue = "",
            description = "An out-of-distribution set (repeatable); rows keep their own harmful/benign labels.")
    Map<String, String> ood = new LinkedHashMap<>();

    @Option(names = "--attacks", paramLabel = "LIST", split = ",",
            description = "Attacks that turn the ID harmful behaviors into OOD sets, one set per attack.")
    List<String> attacks = new ArrayList<>();

    @Option(names = "--layers", paramLabel = "all|L1,L2", defaultValue = "all",
            description = "Layers to extract/analyse: all, or indices and ranges like 0,6,12-18"
                    + " (0 = embeddings, i = output of block i). Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--pooling", paramLabel = "last|mean|both", defaultValue = "both",
            description = "Which pooled states to analyse (both are always stored). Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--pca-layer", paramLabel = "L",
            description = "Layer of the report's PCA scatter. Default: the middle analysed layer.")
    Integer pcaLayer;

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "" + LogisticProbe.DEFAULT_L2,
            description = "L2 strength of the probe and the domain classifier, on standardised features."
                    + " Default: ${DEFAULT-VALUE}.")
    double l2;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds the held-out splits. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "Prompts per forward pass when extracting. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--from-hidden", paramLabel = "DIR",
            description = "Skip extraction: analyse the hidden states stored in DIR (a run folder or its hidden/ folder).")
    Path fromHidden;

    @Option(names = "--out", paramLabel = "RUN_DIR",
            description = "Run folder for hidden/, probe.json and probe.html. With --from-hidden: default DIR.")
    Path out;

    @Spec
    CommandSpec spec;

    private final Wiring wiring;

    ProbeCommand() {
        this(new ProbeWiring());
    }

    ProbeCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws IOException {
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new UserError("--l2 must be a positive number, got " + l2);
        }
        if (batchSize < 1) {
            throw new UserError("--batch-size must be at least 1, got " + batchSize);
        }
        LayerSelection layerSelection = LayerSelection.parse(layers);
        List<Pooling> poolingList = poolings();
        if (pcaLayer != null && !layerSelection.all() && !layerSelection.layers().contains(pcaLayer)) {
            throw new UserError("--pca-layer " + pcaLayer + " is not among --layers " + layers);
        }
        HiddenStateStore stored = null;
        if (fromHidden != null) {
            if (idHarmful != null || idBenign != null || !ood.isEmpty() || !attacks.isEmpty()) {
                throw new UserError("--from-hidden analyses the sets already stored; it cannot be combined with"
                        + " --id-harmful, --id-benign, --ood or --attacks");
            }
            stored = HiddenStateStore.open(fromHidden);
        } else {
            requireExtractionFlags();
        }
        Path runDir = stored == null ? out : out != null ? out : stored.root().toAbsolutePath().getParent();
        // Held until probe.json and the reports are written: a second probe or eval into this folder stops at once.
        try (RunLock lock = RunLock.folder(runDir)) {
            return probe(runDir, stored, layerSelection, poolingList);
        }
    }

    /** Extracts (unless given {@code stored} hidden states), analyses and writes the outputs into {@code runDir}. */
    private int probe(Path runDir, HiddenStateStore stored, LayerSelection layerSelection, List<Pooling> poolingList) throws IOException {
        HiddenStateStore store;
        List<String> modelIds;
        List<String> oodSets;
        if (stored != null) {
            store = stored;
            modelIds = models.isEmpty() ? store.models() : models;
            if (modelIds.isEmpty()) {
                throw new UserError("--from-hidden " + fromHidden + ": no hidden states stored in " + store.root());
            }
            oodSets = null;
        } else {
            store = HiddenStateStore.inRunDir(runDir);
            List<ProbeSet> sets = buildSets();
            oodSets = sets.stream().filter(s -> s.role() == ProbeSet.Role.OOD).map(ProbeSet::name).toList();
            modelIds = new ArrayList<>();
            for (String model : models) {
                modelIds.add(extract(model, sets, layerSelection, store));
            }
        }

        ProbeAnalysis.Options options = new ProbeAnalysis.Options(poolingList, layerSelection, pcaLayer, oodSets, l2,
                ProbeAnalysis.ID_HELD_OUT_FRACTION, seed);
        Map<String, ProbeResults.ModelProbe> results = new LinkedHashMap<>();
        for (String model : modelIds) {
            int steps = ProbeAnalysis.steps(store, model, options);
            try (ProgressBar bar = progress("analyse " + model, steps)) {
                results.put(model, ProbeAnalysis.analyse(store, model, options, bar::stepBy));
            }
        }
        ProbeResults probe = new ProbeResults(options.config(), results);
        Path json = runDir.resolve(ProbeJson.FILE);
        Path html = runDir.resolve(ProbeHtml.FILE);
        ProbeJson.write(json, probe);
        ProbeHtml.write(html, probe);
        // The run's report.html gathers every section found in the folder, so the probe plots sit
        // next to the ASR curves when srg eval wrote to the same folder.
        Path report = runDir.resolve(RunReport.FILE_NAME);
        RunReport.write(RunReport.folders(List.of(runDir)), report);
        printSummary(probe);
        spec.commandLine().getOut().println("wrote " + json + ", " + html + " and " + report);
        return 0;
    }

    private void requireExtractionFlags() {
        List<String> missing = new ArrayList<>();
        if (models.isEmpty()) {
            missing.add("--model");
        }
        if (idHarmful == null) {
            missing.add("--id-harmful");
        }
        if (idBenign == null) {
            missing.add("--id-benign");
        }
        if (out == null) {
            missing.add("--out");
        }
        if (!missing.isEmpty()) {
            throw new UserError("missing " + String.join(", ", missing) + " (or use --from-hidden DIR to analyse stored"
                    + " hidden states)");
        }
        if (ood.isEmpty() && attacks.isEmpty()) {
            throw new UserError("give at least one OOD set with --ood NAME=FILE or --attacks LIST");
        }
    }

    private List<Pooling> poolings() {
        return switch (pooling) {
            case "last" -> List.of(Pooling.LAST_TOKEN);
            case "mean" -> List.of(Pooling.MEAN);
            case "both" -> List.of(Pooling.LAST_TOKEN, Pooling.MEAN);
            default -> throw new UserError("--pooling must be last, mean or both, got '" + pooling + "'");
        };
    }

    /** The ID sets, the --ood sets and one set per attack, with their names checked. */
    private List<ProbeSet> buildSets() {
        List<ProbeSet> sets = new ArrayList<>();
        List<Behavior> harmful = wiring.readBehaviors(idHarmful, "--id-harmful");
        sets.add(new ProbeSet(ProbeSet.ID_HARMFUL, prompts(harmful, true)));
        sets.add(new ProbeSet(ProbeSet.ID_BENIGN, prompts(wiring.readBehaviors(idBenign, "--id-benign"), false)));
        Map<String, String> origin = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : ood.entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new UserError("--ood " + name + ": expected NAME=FILE");
            }
            checkOodName(name, "--ood " + name + "=" + e.getValue(), origin);
            List<ProbePrompt> prompts = new ArrayList<>();
            for (Behavior b : wiring.readBehaviors(e.getValue(), "--ood " + name)) {
                prompts.add(new ProbePrompt(b.id(), b.harmful(), Conversation.user(b.prompt())));
            }
            sets.add(new ProbeSet(name, prompts));
        }
        for (String name : attacks) {
            Attack attack = wiring.attack(name.trim(), seed);
            checkOodName(attack.name(), "--attacks " + name, origin);
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
                spec.commandLine().getErr().println("srg probe: attack " + attack.name() + " failed on " + failed + " of "
                        + harmful.size() + " behaviors; they are left out of its set");
            }
            sets.add(new ProbeSet(attack.name(), prompts));
        }
        for (ProbeSet s : sets) {
            if (s.prompts().size() < 2) {
                throw new UserError("set '" + s.name() + "' has " + s.prompts().size()
                        + " prompt(s); every set needs at least 2");
            }
        }
        return sets;
    }

    private static void checkOodName(String name, String where, Map<String, String> seen) {
        ProbeSet.checkName(name, where);
        if (ProbeSet.roleOf(name) != ProbeSet.Role.OOD) {
            throw new UserError(where + ": '" + name + "' is reserved for the ID sets; pick another name");
        }
        String before = seen.putIfAbsent(name, where);
        if (before != null) {
            throw new UserError(where + ": set name '" + name + "' is already used by " + before);
        }
    }

    private static List<ProbePrompt> prompts(List<Behavior> behaviors, boolean harmful) {
        List<ProbePrompt> out = new ArrayList<>();
        for (Behavior b : behaviors) {
            out.add(new ProbePrompt(b.id(), harmful, Conversation.user(b.prompt())));
        }
        return out;
    }

    /** Extracts every set from one model; returns the model's id. */
    private String extract(String model, List<ProbeSet> sets, LayerSelection layerSelection, HiddenStateStore store)
            throws IOException {
        try (HiddenStateSource source = wiring.openModel(model, batchSize)) {
            int[] layerIndices = layerSelection.resolve(source.numLayers());
            HiddenStateExtraction extraction = new HiddenStateExtraction(store);
            long rows = sets.stream().mapToLong(s -> s.prompts().size()).sum();
            List<String> reused = new ArrayList<>();
            try (ProgressBar bar = progress("extract " + source.id(), rows)) {
                for (ProbeSet set : sets) {
                    bar.setExtraMessage(set.name());
                    if (extraction.extract(source, set, layerIndices, batchSize, bar::stepBy)
                            == HiddenStateExtraction.Outcome.REUSED) {
                        reused.add(set.name());
                    }
                }
            }
            if (!reused.isEmpty()) {
                spec.commandLine().getErr().println("srg probe: " + source.id() + ": hidden states of "
                        + String.join(", ", reused) + " already stored, reused");
            }
            return source.id();
        }
    }

    private static ProgressBar progress(String task, long total) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(50)
                .build();
    }

    /** One line per analysed layer: ID held-out accuracy, then per OOD set its harmful rate and proxy A-distance. */
    private void printSummary(ProbeResults probe) {
        PrintWriter w = spec.commandLine().getOut();
        String poolingKey = probe.config().poolings().get(0);
        for (Map.Entry<String, ProbeResults.ModelProbe> e : probe.models().entrySet()) {
            ProbeResults.ModelProbe m = e.getValue();
            w.println();
            w.println(e.getKey() + " (" + poolingKey + "): probe accuracy on held-out ID; per OOD set, share the probe"
                    + " calls harmful / proxy A-distance from ID harmful");
            StringBuilder header = new StringBuilder(String.format("%6s %8s", "layer", "ID acc"));
            for (String set : m.oodSets()) {
                header.append(String.format("  %-22s", truncate(set, 22)));
            }
            w.println(header);
            m.poolings().get(poolingKey).forEach((layer, f) -> {
                StringBuilder line = new StringBuilder(String.format("%6d %8.3f", layer, f.probe().idHeldOutAccuracy()));
                for (String set : m.oodSets()) {
                    line.append(String.format("  %-22s", String.format("%.3f / %.2f",
                            f.probe().ood().get(set).harmfulRate(), f.divergence().get(set).proxyADistance())));
                }
                w.println(line);
            });
        }
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
