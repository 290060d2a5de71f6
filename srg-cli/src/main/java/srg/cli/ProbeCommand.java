package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.io.RunLock;
import srg.probe.HiddenStateStore;
import srg.probe.LayerSelection;
import srg.probe.LogisticProbe;
import srg.probe.ProbeHtml;
import srg.probe.ProbeJson;
import srg.probe.ProbeResults;
import srg.report.RunReport;
import srg.run.Extensions;
import srg.run.ProbeSettings;
import srg.run.Probing;

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

    private final Probing.Sources sources;

    ProbeCommand() {
        this(Probing.standard(Extensions.NONE));
    }

    ProbeCommand(Probing.Sources sources) {
        this.sources = sources;
    }

    @Override
    public Integer call() throws IOException {
        ProbeSettings settings = new ProbeSettings(idHarmful, idBenign, ood, attacks, LayerSelection.parse(layers),
                ProbeSettings.poolings(pooling), pcaLayer, l2, seed, batchSize);
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
        Path runDir = stored == null || out != null ? out : stored.runDir();
        Probing probing = new Probing(settings, new ProgressBars(spec.commandLine().getErr()));
        // Held until probe.json and the reports are written: a second probe or eval into this folder stops at once.
        try (RunLock lock = RunLock.folder(runDir)) {
            ProbeResults probe = stored != null ? probing.analyseStored(stored, models, runDir) : probing.run(sources, models, runDir);
            printSummary(probe);
            spec.commandLine().getOut().println("wrote " + runDir.resolve(ProbeJson.FILE) + ", " + runDir.resolve(ProbeHtml.FILE)
                    + " and " + runDir.resolve(RunReport.FILE_NAME));
            return 0;
        }
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
