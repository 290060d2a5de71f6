package srg.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import srg.SettingError;
import srg.UserError;
import srg.engine.Devices;
import srg.engine.TorchThreads;
import srg.io.AtomicFiles;
import srg.io.FileTrees;
import srg.io.RunLock;
import srg.run.Console;
import srg.run.Provenance;
import srg.study.safetyworld.SafetyWorldStudy;

/**
 * A study as a pipeline of stages, each a folder of the study's folder: SafetyWorld's world, base
 * and decode check, or synth and RT pairing on given models; then training of the RT and SRG
 * models, the evaluation, the probe and the report. Each stage's folder records the fingerprint
 * of the inputs it was made from: a rerun reuses the folders whose inputs are unchanged and redoes
 * the others (and so every stage that reads from them). {@link #plan()} says which, without
 * running anything.
 */
public final class StudyPipeline {

    /** In a stage's {@code .partial} folder: the fingerprint of the unfinished work it holds. */
    static final String IN_PROGRESS = "in-progress.txt";
    /**
     * In a stage's folder: how many seconds the run that finished it spent making it, so that a
     * rerun that reuses the stage still reports what it cost.
     */
    static final String SECONDS = "study-seconds.txt";
    /** The study folder's record of its last run: each stage, its fingerprint, what was done and how long it took. */
    public static final String RECORD = "study.json";

    /** What a stage's folder holds against its inputs now, and so what running the study does with it. */
    public enum Status {
        /** Made from these very inputs: kept. */
        REUSE,
        /** Never made: made now. */
        RUN,
        /** Begun from these inputs and interrupted: continued. */
        RESUME,
        /** Made from other inputs: made again. */
        REDO,
        /** An input is missing (a file, a folder): the stage cannot run until it is there. */
        BLOCKED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One stage as planned or as run.
     *
     * @param fingerprint of its inputs, or null when blocked
     * @param note why it is blocked, or nothing
     * @param seconds how long making it took: in this run, or for a reused stage in the run that
     *     finished it (0 when only planned, or reused from a folder that did not record it)
     */
    public record StageRecord(String name, String folder, String fingerprint, Status status, String note, double seconds) {}

    private final StudyFile.Located located;
    private final Path out;
    private final Console console;
    private final Provenance provenance;
    private final boolean fresh;
    private final List<Stage> stages;
    private final StageLauncher launcher;
    // The stages whose partial folder this run began, with what they needed then: --fresh redoes what
    // was there before this run, not its own work, and the record says what the run did with each.
    private final Map<String, Status> begunHere = new HashMap<>();

    /**
     * @param fresh redo every stage, whatever its folder holds
     */
    public StudyPipeline(StudyFile.Located located, Path out, Console console, Provenance provenance, boolean fresh) {
        this(located, out, console, provenance, fresh, stages(located.study()));
    }

    /** A pipeline of the given stages (tests run the machinery on stages of their own). */
    StudyPipeline(StudyFile.Located located, Path out, Console console, Provenance provenance, boolean fresh, List<Stage> stages) {
        this(located, out, console, provenance, fresh, stages, null);
    }

    private StudyPipeline(StudyFile.Located located, Path out, Console console, Provenance provenance, boolean fresh,
            List<Stage> stages, StageLauncher launcher) {
        this.located = located;
        this.out = out;
        this.console = console;
        this.provenance = provenance;
        this.fresh = fresh;
        this.stages = List.copyOf(stages);
        this.launcher = launcher;
    }

    /**
     * This pipeline, training side by side: where two training stages are to be made, on the CPU
     * with two libtorch threads or more, the last one (SRG) is made in a child process that
     * {@code launcher} starts, with half the threads, while this process, with the other half,
     * makes the first (RT) and evaluates the models already made; the evaluation then draws only
     * the last model's samples. The stages' files are those of a run one after the other, but for
     * the last bits of the models' weights where a sum split over threads adds in another order
     * (docs/PERFORMANCE.md).
     */
    public StudyPipeline sideBySide(StageLauncher launcher) {
        return new StudyPipeline(located, out, console, provenance, fresh, stages, launcher);
    }

    /** The study's stages, in the order they run. */
    static List<Stage> stages(Study study) {
        List<Stage> out = new ArrayList<>();
        if (study.world() != null) {
            out.addAll(SafetyWorldStudy.stages());
        } else if (study.synth() != null) {
            out.add(new SynthStage());
            out.add(new RtStage());
        }
        for (String role : List.of("rt", "srg")) {
            if (study.training().containsKey(role)) {
                out.add(new TrainStage(role));
            }
        }
        if (study.eval() != null) {
            out.add(new EvalStage());
        }
        if (study.probe() != null) {
            out.add(new ProbeStage());
        }
        out.add(new ReportStage());
        return out;
    }

    /** The stages' names and folders, in order. */
    public List<String> stageNames() {
        return stages.stream().map(Stage::name).toList();
    }

    /** The folder of a stage of this study. */
    public Path folder(String stage) {
        return stages.stream().filter(s -> s.name().equals(stage)).findFirst().map(s -> out.resolve(s.folder()))
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
    }

    /** What running the study would do with each stage, running nothing. */
    public List<StageRecord> plan() throws IOException {
        StageContext ctx = context();
        List<StageRecord> plan = new ArrayList<>();
        String blocked = null;
        for (Stage stage : stages) {
            if (blocked != null) {
                ctx.declare(stage);
                plan.add(new StageRecord(stage.name(), stage.folder(), null, Status.BLOCKED, "after " + blocked, 0));
                continue;
            }
            String fp;
            try {
                fp = fingerprint(ctx, stage);
            } catch (UserError e) {
                blocked = stage.name();
                ctx.declare(stage);
                plan.add(new StageRecord(stage.name(), stage.folder(), null, Status.BLOCKED, e.getMessage(), 0));
                continue;
            }
            plan.add(new StageRecord(stage.name(), stage.folder(), fp, status(stage, fp), "", 0));
        }
        return plan;
    }

    /** Runs the study: reuses what is done, makes the rest. Holds the study folder's lock throughout. */
    public List<StageRecord> run() throws IOException {
        Files.createDirectories(out);
        try (RunLock lock = RunLock.folder(out)) {
            StageContext ctx = context();
            List<StageRecord> done = new ArrayList<>();
            long start = System.nanoTime();
            Beside side = null;
            try {
                for (int i = 0; i < stages.size(); i++) {
                    Stage stage = stages.get(i);
                    if (side == null && launcher != null && stage instanceof TrainStage) {
                        side = startBeside(ctx, i);
                    }
                    String fp = fingerprint(ctx, stage);
                    StageRecord record = side != null && side.child().stage() == stage ? awaitBeside(ctx, side, fp) : make(ctx, stage, fp);
                    ctx.seconds().put(stage.name(), record.seconds());
                    done.add(record);
                    writeRecord(done, (System.nanoTime() - start) / 1e9);
                }
                return done;
            } finally {
                if (side != null) {
                    side.child().close();
                    TorchThreads.use(side.threads());
                }
            }
        }
    }

    /**
     * Makes one stage, as {@link #run()} would (or reuses it where it is made from the same
     * inputs), and nothing else. The stages it reads must be finished. Holds the study folder's
     * lock, unless this process's parent holds it: then the parent runs the study and has handed
     * this stage to this process ({@link #sideBySide}).
     */
    public StageRecord runStage(String name) throws IOException {
        if (stages.stream().noneMatch(s -> s.name().equals(name))) {
            throw new UserError("the study has no stage '" + name + "'; its stages: " + String.join(", ", stageNames()));
        }
        Files.createDirectories(out);
        try (RunLock lock = RunLock.folderUnlessParentHolds(out)) {
            StageContext ctx = context();
            for (Stage stage : stages) {
                String fp = fingerprint(ctx, stage);
                if (stage.name().equals(name)) {
                    return make(ctx, stage, fp);
                }
            }
            throw new IllegalStateException("no stage " + name);
        }
    }

    /** Reuses a stage made from these inputs, or makes it; tells the console which. */
    private StageRecord make(StageContext ctx, Stage stage, String fp) throws IOException {
        Status status = status(stage, fp);
        double seconds;
        if (status == Status.REUSE) {
            console.info(stage.name() + ": reusing " + stage.folder() + "/ (made from the same inputs)");
            seconds = recordedSeconds(out.resolve(stage.folder()));
        } else {
            console.info(stage.name() + ": " + switch (status) {
                case RESUME -> "resuming the unfinished work in " + stage.folder() + ".partial/";
                case REDO -> "redoing " + stage.folder() + "/ (its inputs changed)";
                default -> "making " + stage.folder() + "/";
            });
            seconds = make(ctx, stage, fp, status);
        }
        return new StageRecord(stage.name(), stage.folder(), fp, begunHere.getOrDefault(stage.name(), status), "", seconds);
    }

    /** A stage being made beside this process, what it was found to need, and this process's own thread count. */
    private record Beside(BesideStage child, Status status, int threads) {}

    /**
     * Side by side ({@link #sideBySide}), at the first training stage {@code stages[first]}: starts
     * the last training stage in a child process where it is to be made and this process has other
     * work meanwhile (another training stage, or the evaluation of the models already made); else null.
     */
    private Beside startBeside(StageContext ctx, int first) throws IOException {
        List<Stage> training = stages.subList(first, stages.size()).stream().filter(s -> s instanceof TrainStage).toList();
        if (training.size() < 2 || ctx.device().isGpu()) {
            return null;
        }
        Stage last = training.get(training.size() - 1);
        boolean otherWork = false;
        Status lastStatus = null;
        for (Stage stage : stages.subList(first, stages.size())) {
            Status status = status(stage, fingerprint(ctx, stage)); // fingerprints, in order, read no stage's files
            if (stage == last) {
                lastStatus = status;
            } else if (status != Status.REUSE && (stage instanceof TrainStage || stage instanceof EvalStage)) {
                otherWork = true;
            }
            if (stage instanceof EvalStage) {
                break;
            }
        }
        int threads = TorchThreads.count();
        if (lastStatus == Status.REUSE || !otherWork || threads < 2) {
            return null;
        }
        int childThreads = threads / 2;
        BesideStage child = BesideStage.start(launcher, ctx, last, fresh, childThreads);
        TorchThreads.use(threads - childThreads);
        console.info(String.format(Locale.ROOT, "%s: %s %s/ in a second process beside this one (%d of %d threads there, %d here;"
                + " its console: %s)", last.name(), lastStatus == Status.RESUME ? "resuming" : "making", last.folder(), childThreads,
                threads, threads - childThreads, child.log()));
        return new Beside(child, lastStatus, threads);
    }

    /**
     * The stage made beside: evaluates the models already made while it runs, then waits for it
     * and gives this process its threads back.
     */
    private StageRecord awaitBeside(StageContext ctx, Beside side, String fp) throws IOException {
        Stage stage = side.child().stage();
        EvalStage eval = (EvalStage) stages.stream().filter(s -> s instanceof EvalStage).findFirst().orElse(null);
        if (eval != null) {
            String evalFp = fingerprint(ctx, eval);
            Status status = status(eval, evalFp);
            String role = ((TrainStage) stage).role();
            List<String> ready = ctx.study().evalModels().stream().filter(m -> !m.equals(role)).toList();
            if (status != Status.REUSE && !ready.isEmpty()) {
                console.info(String.format(Locale.ROOT, "eval: evaluating %s in %s.partial/ while %s runs beside",
                        String.join(", ", ready), eval.folder(), stage.name()));
                Path partial = begin(eval, evalFp, status);
                long t = System.nanoTime();
                eval.evaluate(ctx, partial, ready);
                AtomicFiles.writeString(partial.resolve(SECONDS), Double.toString(spentOn(partial) + (System.nanoTime() - t) / 1e9));
            }
        }
        console.info(stage.name() + ": waiting for its second process (its console: " + side.child().log() + ")");
        side.child().await();
        TorchThreads.use(side.threads());
        if (!fp.equals(Fingerprint.readFrom(out.resolve(stage.folder())))) {
            throw new IllegalStateException(stage.name() + ": its second process ended without making it from this study's inputs");
        }
        double seconds = recordedSeconds(out.resolve(stage.folder()));
        console.info(String.format(Locale.ROOT, "%s: made beside in %.0f s", stage.name(), seconds));
        return new StageRecord(stage.name(), stage.folder(), fp, side.status(), "", seconds);
    }

    private StageContext context() {
        Study study = located.study();
        return new StageContext(located, out, console, provenance, () -> {
            try {
                return Devices.parse(study.device());
            } catch (SettingError e) {
                throw located.locate("", e);
            }
        });
    }

    private String fingerprint(StageContext ctx, Stage stage) throws IOException {
        String fp;
        try {
            fp = Fingerprint.of(stage.inputs(ctx));
        } catch (SettingError e) {
            throw located.locate(stage.section(), e);
        }
        ctx.record(stage, fp);
        return fp;
    }

    private Status status(Stage stage, String fp) throws IOException {
        Path dir = out.resolve(stage.folder());
        Path partial = partial(stage);
        boolean begun = fp.equals(Fingerprint.readFrom(partial)) || fp.equals(read(partial.resolve(IN_PROGRESS)));
        if (begun && begunHere.containsKey(stage.name())) {
            return Status.RESUME; // this run's own work, whatever the folder held before it
        }
        if (fresh) {
            return Files.exists(dir) ? Status.REDO : Status.RUN;
        }
        if (fp.equals(Fingerprint.readFrom(dir))) {
            return Status.REUSE;
        }
        if (begun) {
            return Status.RESUME;
        }
        return Files.exists(dir) ? Status.REDO : Status.RUN;
    }

    /**
     * Makes a stage in its {@code .partial} folder (continuing the work there when it is for the
     * same inputs), then puts it in place of the old folder; the seconds it took.
     */
    private double make(StageContext ctx, Stage stage, String fp, Status status) throws IOException {
        boolean resuming = status == Status.RESUME;
        Path dir = out.resolve(stage.folder());
        Path partial = partial(stage);
        double seconds = 0;
        if (!(resuming && fp.equals(Fingerprint.readFrom(partial)))) {
            begin(stage, fp, status);
            double before = spentOn(partial);
            long t = System.nanoTime();
            try {
                stage.run(ctx, partial, resuming);
            } catch (SettingError e) {
                throw located.locate(stage.section(), e);
            }
            seconds = before + (System.nanoTime() - t) / 1e9;
            AtomicFiles.writeString(partial.resolve(SECONDS), Double.toString(seconds));
            // Finished: the partial folder now holds the stage, whatever happens before it is moved.
            AtomicFiles.writeString(partial.resolve(Fingerprint.FILE), fp);
            Files.deleteIfExists(partial.resolve(IN_PROGRESS));
        }
        FileTrees.deleteTree(dir);
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        return seconds;
    }

    /**
     * The stage's {@code .partial} folder, ready for its work: emptied and marked with the inputs'
     * fingerprint, unless resuming; {@code status}: what the stage needs.
     */
    private Path begin(Stage stage, String fp, Status status) throws IOException {
        Path partial = partial(stage);
        begunHere.putIfAbsent(stage.name(), status);
        if (status != Status.RESUME) {
            FileTrees.deleteTree(partial);
            Files.createDirectories(partial);
            AtomicFiles.writeString(partial.resolve(IN_PROGRESS), fp);
        }
        return partial;
    }

    /** Seconds already spent on an unfinished stage (its models evaluated beside a training stage), or 0. */
    private static double spentOn(Path partial) throws IOException {
        return Files.isRegularFile(partial.resolve(Fingerprint.FILE)) ? 0 : recordedSeconds(partial);
    }

    /** The seconds recorded in a stage's folder when it was made; 0 for folders made before they were recorded. */
    private static double recordedSeconds(Path dir) throws IOException {
        String s = read(dir.resolve(SECONDS));
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0; // a damaged record costs only the time figure, never the stage
        }
    }

    private Path partial(Stage stage) {
        Path dir = out.resolve(stage.folder());
        return dir.resolveSibling(dir.getFileName() + ".partial");
    }

    private void writeRecord(List<StageRecord> done, double seconds) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("schema", "srg.study.run/1");
        o.put("name", located.study().name());
        o.put("file", located.study().source() == null ? null : located.study().source().toAbsolutePath().normalize().toString());
        o.put("seconds", seconds);
        ArrayNode list = o.putArray("stages");
        for (StageRecord r : done) {
            list.addObject().put("name", r.name()).put("folder", r.folder()).put("fingerprint", r.fingerprint())
                    .put("status", r.status().word()).put("seconds", r.seconds());
        }
        AtomicFiles.writeString(out.resolve(RECORD), json.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
    }
}
