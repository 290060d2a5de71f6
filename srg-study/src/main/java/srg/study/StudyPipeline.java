package srg.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.SettingError;
import srg.UserError;
import srg.engine.Devices;
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

    /**
     * @param fresh redo every stage, whatever its folder holds
     */
    public StudyPipeline(StudyFile.Located located, Path out, Console console, Provenance provenance, boolean fresh) {
        this(located, out, console, provenance, fresh, stages(located.study()));
    }

    /** A pipeline of the given stages (tests run the machinery on stages of their own). */
    StudyPipeline(StudyFile.Located located, Path out, Console console, Provenance provenance, boolean fresh, List<Stage> stages) {
        this.located = located;
        this.out = out;
        this.console = console;
        this.provenance = provenance;
        this.fresh = fresh;
        this.stages = List.copyOf(stages);
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
            for (Stage stage : stages) {
                String fp = fingerprint(ctx, stage);
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
                    seconds = make(ctx, stage, fp, status == Status.RESUME);
                }
                ctx.seconds().put(stage.name(), seconds);
                done.add(new StageRecord(stage.name(), stage.folder(), fp, status, "", seconds));
                writeRecord(done, (System.nanoTime() - start) / 1e9);
            }
            return done;
        }
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
        if (fresh) {
            return Files.exists(dir) ? Status.REDO : Status.RUN;
        }
        if (fp.equals(Fingerprint.readFrom(dir))) {
            return Status.REUSE;
        }
        if (fp.equals(Fingerprint.readFrom(partial)) || fp.equals(read(partial.resolve(IN_PROGRESS)))) {
            return Status.RESUME;
        }
        return Files.exists(dir) ? Status.REDO : Status.RUN;
    }

    /**
     * Makes a stage in its {@code .partial} folder (continuing the work there when it is for the
     * same inputs), then puts it in place of the old folder; the seconds it took.
     */
    private double make(StageContext ctx, Stage stage, String fp, boolean resuming) throws IOException {
        Path dir = out.resolve(stage.folder());
        Path partial = partial(stage);
        double seconds = 0;
        if (!(resuming && fp.equals(Fingerprint.readFrom(partial)))) {
            if (!resuming) {
                FileTrees.deleteTree(partial);
                Files.createDirectories(partial);
                AtomicFiles.writeString(partial.resolve(IN_PROGRESS), fp);
            }
            long t = System.nanoTime();
            try {
                stage.run(ctx, partial, resuming);
            } catch (SettingError e) {
                throw located.locate(stage.section(), e);
            }
            seconds = (System.nanoTime() - t) / 1e9;
            AtomicFiles.writeString(partial.resolve(SECONDS), Double.toString(seconds));
            // Finished: the partial folder now holds the stage, whatever happens before it is moved.
            AtomicFiles.writeString(partial.resolve(Fingerprint.FILE), fp);
            Files.deleteIfExists(partial.resolve(IN_PROGRESS));
        }
        FileTrees.deleteTree(dir);
        Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        return seconds;
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
