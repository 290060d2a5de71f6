package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.engine.train.EmbeddingFreeze;
import srg.report.RunReport;
import srg.study.Study;
import srg.study.StudyFile;
import srg.study.StudyPipeline;
import srg.study.safetyworld.PlanChoices;
import srg.study.safetyworld.SeedTable;
import srg.study.safetyworld.StudyPlan;
import srg.study.safetyworld.StudySummary;

/** {@code srg quickstart}: the whole SRG study on SafetyWorld, the built-in model organism. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Run the whole SRG study on SafetyWorld, srg's built-in model organism, on this machine's CPU: "
                + "generate the world, pretrain a small base model on it, train an RT and an SRG model from it on a "
                + "safety mixture (plain harmful requests, helpful data in plain form and in the seen disguises, replay), "
                + "evaluate all three with Best-of-N sampling on held-out harmful requests in the plain form, the seen "
                + "and the unseen disguises (unsafe / refusal / other, ASR@k and refusal@k) and on benign requests in "
                + "every form (capability), audit SRG's reasoning, and compare their hidden states. It is the SafetyWorld "
                + "study of srg study (examples/safetyworld.yaml is its standard plan): each stage is a folder of --out, "
                + "reused while its inputs are unchanged (an interrupted run resumes). The report (report.html, "
                + "results.json, probe.json, safetyworld.json and the study file study.yaml) is in --out/report; a "
                + "summary is printed. See docs/SAFETYWORLD.md and docs/STUDY.md.")
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Run folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--n", defaultValue = "32", description = "Samples per attacked prompt (N of Best-of-N). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", defaultValue = "7", description = "World and training seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--seeds", paramLabel = "LIST", description = "Run the study once per seed (e.g. 101-105 or 1,2,3), "
            + "each in --out/seed-S, then write seeds.md and seeds.json to --out: every headline figure's mean across "
            + "seeds with a 95%% Student-t interval, the per-seed values, and on how many seeds each expectation held. "
            + "With --jobs, several seeds run at a time.")
    String seeds;

    @Option(names = "--jobs", paramLabel = "J", defaultValue = "1", description = "With --seeds: run J seeds at a time, "
            + "each in its own process with 1/J of the cores (its console in --out/seed-S.log). Where the seeds do not "
            + "fill whole rounds of J, those left over run first, by themselves, with all the cores (five seeds with "
            + "--jobs 2: one seed, then two rounds of two). A seed's figures do not depend on the thread count (its "
            + "models may, in the last bits: docs/PERFORMANCE.md). Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Option(names = "--mixture", defaultValue = "standard", paramLabel = "NAME", description = "Safety-training mixture, "
            + "for studying recipes: standard (plain requests, benign requests in the seen disguises, replay of the "
            + "corpus's knowledge documents), no-replay, no-seen-forms, or plain-only (SafetyWorld v1). "
            + "Default: ${DEFAULT-VALUE}.")
    String mixture;

    @Option(names = "--replay-passes", paramLabel = "K", description = "How many times the mixture replays the "
            + "corpus's knowledge documents per epoch, for studying recipes (the standard mixture replays them four times).")
    Integer replayPasses;

    @Option(names = "--safety-epochs", paramLabel = "E", description = "RT and SRG fine-tuning epochs, for studying "
            + "recipes. Default: " + StudyPlan.SAFETY_EPOCHS + ".")
    Integer safetyEpochs;

    @Option(names = "--safety-lr", paramLabel = "LR", description = "RT and SRG fine-tuning learning rate, for studying "
            + "recipes. Default: " + StudyPlan.SAFETY_LEARNING_RATE + ".")
    Double safetyLr;

    @Option(names = "--safety-lora", paramLabel = "R", defaultValue = "0", description = "RT and SRG fine-tuning with "
            + "LoRA adapters of rank R on every projection (alpha 2R), merged into the saved models, for studying "
            + "recipes; 0 is full fine-tuning. Default: ${DEFAULT-VALUE}.")
    int safetyLora;

    @Option(names = "--early-stopping", paramLabel = "P", description = "RT and SRG stop early, for studying recipes: "
            + "four training substances are held out of their data as validation data, and each model stops once P "
            + "validation losses in a row (one every half epoch) have not beaten its best, keeping the best one's weights. "
            + "Default: off (all epochs).")
    Integer earlyStopping;

    @Option(names = "--freeze-embeddings", paramLabel = "all|known", arity = "0..1", fallbackValue = "all",
            description = "RT and SRG keep token-embedding rows (tied to the LM head) as the base has them, for studying "
            + "recipes. all (the flag alone): every row; the held-out substances' names keep their rows, but the "
            + "refusal's and reasoning's words, which pretraining never used, cannot be learned (the v2.7 candidate, "
            + "rejected). known: the rows of the words in the world's corpus stay and the words it never holds train "
            + "(the v2.8 candidate). Default: none (every weight trains).")
    String freezeEmbeddings;

    @Option(names = "--layers", paramLabel = "L", description = "Blocks of the base model, for asking whether scale "
            + "helps (with --hidden-size). Default: 4.")
    Integer layers;

    @Option(names = "--hidden-size", paramLabel = "H", description = "Width of the base model (a multiple of 32), for "
            + "asking whether scale helps. Heads are 32 wide, the MLP three times the width; pretraining keeps the "
            + "standard learning rate and steps. Default: 128 (v2.4's was 256).")
    Integer hiddenSize;

    @Option(names = "--hazards-per-kind", paramLabel = "K", description = "Substances of each hazardous kind, 2 of "
            + "them held out, for studying how the hazard names in safety training decide RT's plain refusal (the v2.12 "
            + "candidate: 12). Default: 10.")
    Integer hazardsPerKind;

    @Option(names = "--harmless-per-kind", paramLabel = "K", description = "Substances of each harmless kind, 2 of "
            + "them held out (the v2.12 candidate: 8, so that the world keeps 80 substances and its corpus its size). "
            + "Default: 10.")
    Integer harmlessPerKind;

    @Option(names = "--hazard-signs", negatable = true, description = "Hazards and harmless substances are made and look "
            + "differently: each draws its making steps, colour and smell from its own half of the word lists, so that "
            + "everything the corpus says about a substance tells whether it is a hazard (since v2.14b). --no-hazard-signs "
            + "draws them from the whole lists, as v2.9's worlds did (only a substance's kind and effect facts tell). "
            + "Default: on.")
    Boolean hazardSigns;

    @Option(names = "--name-in-trace", paramLabel = "repeated|once|once-fact|carried", description = "Where SRG's teacher writes "
            + "the asked substance's name. repeated: twice in the knowledge step (\"to make X , X is a toxic gas .\") and in "
            + "the harm step. once: only after the request's own verb (\"to make X , it is a toxic gas .\"), \"it\" "
            + "afterwards (the v2.9c trace, and the v2.14 candidate's with --hazard-signs). once-fact: only after the verb, "
            + "with the kind right after it (\"to make X is a toxic gas .\"; since v2.14b). carried: once-fact, and a benign "
            + "trace names the substance again after the verb in its reflection and refinement steps, so that its "
            + "answer copies the name from a few words back (the v2.26 candidate). Default: once-fact.")
    String nameInTrace;

    @Option(names = "--half-detection", negatable = true, description = "The safety mixture keeps each training "
            + "substance's detection requests in half of their phrasings and one sample per seen form, so that its "
            + "full answers make a substance as often as they detect one (the v2.17 candidate, not adopted). "
            + "--no-half-detection keeps them all (two detection answers per making answer). Default: off.")
    Boolean halfDetection;

    @Option(names = "--pretrain-steps", paramLabel = "S", description = "Pretraining steps of the base model, for studying "
            + "recipes (v2.14b: 1800). Default: " + StudyPlan.PRETRAIN_STEPS + ".")
    Integer pretrainSteps;

    @Option(names = "--rt-anchor-decay", paramLabel = "A", description = "RT's pull towards the base's weights (decoupled "
            + "decay towards them; srg train --anchor-decay), for studying recipes; 0: none, as up to v2.22. "
            + "--pretrain-steps 1800 --safety-epochs 10 --rt-anchor-decay 0 --srg-anchor-decay 0 is v2.14b's recipe. "
            + "Default: " + StudyPlan.RT_ANCHOR_DECAY + ".")
    Double rtAnchorDecay;

    @Option(names = "--srg-anchor-decay", paramLabel = "A", description = "SRG's pull towards the base's weights, for "
            + "studying recipes; 0: none, as up to v2.23. Default: " + StudyPlan.SRG_ANCHOR_DECAY + ".")
    Double srgAnchorDecay;

    @Option(names = "--anchor-importance", paramLabel = "uniform|fisher", description = "How both pulls hold each weight: "
            + "alike (uniform, L2-SP), or by its importance to the world's corpus (fisher, as EWC; srg train "
            + "--anchor-importance). --srg-anchor-decay 0 --anchor-importance uniform is v2.23's recipe. Default: "
            + StudyPlan.ANCHOR_IMPORTANCE_SETTING + ".")
    String anchorImportance;

    @Option(names = "--fresh", description = "Rebuild the models and re-run the evaluation instead of reusing them.")
    boolean fresh;

    @Option(names = "--side-by-side", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = StudyCommand.SIDE_BY_SIDE + " In --jobs lanes of one thread it does not apply. Default: on; "
                    + "--no-side-by-side makes the stages one after the other.")
    boolean sideBySide;

    @Option(names = "--smoke", description = "A tiny world and model that run end to end in about a minute; "
            + "checks the pipeline, its numbers mean nothing.")
    boolean smoke;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PlanChoices choices = choices();
        choices.plan(seed); // checks the choices before the first seed's run
        if (jobs < 1) {
            throw new UserError("--jobs must be at least 1, got " + jobs);
        }
        if (jobs > 1 && seeds == null) {
            throw new UserError("--jobs runs several seeds at a time: it needs --seeds");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (seeds == null) {
            StudySummary summary = run(choices.plan(seed), out, fresh);
            stdout.println();
            stdout.println(summary.table());
            stdout.printf(Locale.ROOT, "report: %s%n", out.resolve("report").resolve(RunReport.FILE_NAME));
            return 0;
        }
        Map<Long, JsonNode> summaries = new LinkedHashMap<>();
        List<Long> list = parseSeeds(seeds);
        boolean redo = fresh;
        if (jobs > 1) {
            runLanes(list, stderr);
            redo = false; // the lanes made every seed's stages; the loop below reads them
        }
        for (long s : list) {
            if (jobs == 1) {
                stderr.printf(Locale.ROOT, "%n== seed %d (%d of %d) ==%n", s, summaries.size() + 1, list.size());
            }
            Path dir = out.resolve("seed-" + s);
            summaries.put(s, run(choices.plan(s), dir, redo).json());
            stderr.printf(Locale.ROOT, "seed %d: report %s%n", s, dir.resolve("report").resolve(RunReport.FILE_NAME));
        }
        SeedTable table = SeedTable.of(summaries);
        table.write(out);
        stdout.println();
        stdout.println(table.markdown());
        stdout.printf(Locale.ROOT, "across seeds: %s and %s%n", out.resolve(SeedTable.MARKDOWN_FILE), out.resolve(SeedTable.JSON_FILE));
        return 0;
    }

    /** The SafetyWorld study of {@code plan}, through the study pipeline, into {@code dir}; its summary. */
    private StudySummary run(StudyPlan plan, Path dir, boolean redo) throws IOException {
        Study study = plan.study(device);
        StudyPipeline pipeline = new StudyPipeline(StudyFile.Located.of(study), dir, new ProgressBars(spec.commandLine().getErr()),
                VersionProvider.provenance(spec), redo);
        (sideBySide ? pipeline.sideBySide(ChildSrg.STAGES) : pipeline).run();
        return StudySummary.read(dir.resolve("report").resolve(StudySummary.FILE));
    }

    /** The plan's settings as given on the command line. */
    PlanChoices choices() {
        return new PlanChoices(n, smoke, mixture, replayPasses, safetyEpochs, safetyLr, safetyLora, earlyStopping,
                layers, hiddenSize, EmbeddingFreeze.parse(freezeEmbeddings), hazardsPerKind,
                harmlessPerKind, hazardSigns, nameInTrace, halfDetection, pretrainSteps, rtAnchorDecay, srgAnchorDecay,
                anchorImportance);
    }

    /** Runs every seed's study in lanes of {@link SeedLanes}; fails naming the seeds that failed. */
    private void runLanes(List<Long> list, PrintWriter stderr) throws IOException, InterruptedException {
        int lanes = Math.min(jobs, list.size());
        SeedLanes runner = new SeedLanes(lanes, stderr);
        if (lanes > Runtime.getRuntime().availableProcessors()) {
            stderr.printf(Locale.ROOT, "warning: --jobs %d on %d cores: the lanes share them%n", jobs,
                    Runtime.getRuntime().availableProcessors());
        }
        if (!device.equals("cpu")) {
            stderr.printf(Locale.ROOT, "warning: --jobs %d with --device %s: the lanes share the device%n", jobs, device);
        }
        stderr.printf(Locale.ROOT, "%s%n", runner.describe(list.size()));
        List<SeedLanes.Lane> work = new ArrayList<>();
        for (long s : list) {
            work.add(new SeedLanes.Lane(s, laneArgs(s, out.resolve("seed-" + s)), out.resolve("seed-" + s + ".log")));
        }
        SeedLanes.Outcome outcome = runner.run(work);
        if (outcome.stopped()) {
            throw new UserError("stopped before every seed ended; the same command again (without --fresh) resumes every"
                    + " seed where it stopped");
        }
        List<Long> failed = outcome.failed();
        if (!failed.isEmpty()) {
            throw new UserError("the run of seed" + (failed.size() == 1 ? " " : "s ") + failed.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " failed (see above); the same command again (without --fresh) resumes"
                    + " every seed where it stopped");
        }
    }

    /** The arguments of one seed's own quickstart: this command's plan, with --seed and --out for that seed. */
    List<String> laneArgs(long s, Path dir) {
        List<String> args = new ArrayList<>(List.of("quickstart", "--seed", Long.toString(s), "--out", dir.toString(),
                "--n", Integer.toString(n), "--mixture", mixture, "--safety-lora", Integer.toString(safetyLora),
                "--device", device));
        optional(args, "--replay-passes", replayPasses);
        optional(args, "--safety-epochs", safetyEpochs);
        optional(args, "--safety-lr", safetyLr);
        optional(args, "--early-stopping", earlyStopping);
        optional(args, "--freeze-embeddings", freezeEmbeddings);
        optional(args, "--layers", layers);
        optional(args, "--hidden-size", hiddenSize);
        optional(args, "--hazards-per-kind", hazardsPerKind);
        optional(args, "--harmless-per-kind", harmlessPerKind);
        if (hazardSigns != null) {
            args.add(hazardSigns ? "--hazard-signs" : "--no-hazard-signs");
        }
        optional(args, "--name-in-trace", nameInTrace);
        if (halfDetection != null) {
            args.add(halfDetection ? "--half-detection" : "--no-half-detection");
        }
        optional(args, "--pretrain-steps", pretrainSteps);
        optional(args, "--rt-anchor-decay", rtAnchorDecay);
        optional(args, "--srg-anchor-decay", srgAnchorDecay);
        optional(args, "--anchor-importance", anchorImportance);
        if (fresh) {
            args.add("--fresh");
        }
        if (!sideBySide) {
            args.add("--no-side-by-side");
        }
        if (smoke) {
            args.add("--smoke");
        }
        return args;
    }

    private static void optional(List<String> args, String flag, Object value) {
        if (value != null) {
            args.add(flag + "=" + value);
        }
    }

    /** "101-105" or "1,2,3" (or both: "1-3,7"). */
    static List<Long> parseSeeds(String text) {
        List<Long> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash < 0) {
                    out.add(Long.parseLong(p));
                } else {
                    long from = Long.parseLong(p.substring(0, dash).trim());
                    long to = Long.parseLong(p.substring(dash + 1).trim());
                    if (to < from || to - from > 1000) {
                        throw new UserError("--seeds: bad range '" + p + "'");
                    }
                    for (long s = from; s <= to; s++) {
                        out.add(s);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new UserError("--seeds must be seeds or ranges such as 101-105 or 1,2,3, got '" + text + "'");
        }
        if (out.stream().distinct().count() != out.size()) {
            throw new UserError("--seeds names a seed twice: '" + text + "'");
        }
        return out;
    }
}
