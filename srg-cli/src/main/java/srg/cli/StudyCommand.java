package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import srg.report.RunReport;
import srg.study.StudyFile;
import srg.study.StudyPipeline;
import srg.study.safetyworld.StudySummary;

/** {@code srg study}: the whole SRG study from one study file. */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        subcommands = {StudyCommand.Run.class, StudyCommand.Plan.class},
        description = {
            "The whole SRG study from one study file (YAML, docs/STUDY.md): synth -> RT pairing -> train RT and",
            "SRG -> eval (all models x attacks) -> probe -> one report; or, on SafetyWorld, world -> base ->",
            "train -> eval -> probe -> report (srg quickstart is that study).",
            "",
            "Each stage is a folder of the study's folder, holding the fingerprint of the inputs it was made",
            "from: a rerun reuses what is unchanged and redoes what changed (and what reads from it).",
            "Examples: examples/*.yaml.",
        })
final class StudyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** What side by side does, for the --help of srg study run and srg quickstart. */
    static final String SIDE_BY_SIDE = "Train side by side: with two libtorch threads or more on the CPU, the SRG model trains in a "
            + "second process with half of them while this one trains the RT model and evaluates the models already made "
            + "(its console in --out/beside/train-srg.log). The same files as one stage after the other, but for the last "
            + "bits of the models where a sum split over threads adds in another order (docs/PERFORMANCE.md).";

    /** What both subcommands take: the study file and its folder. */
    abstract static class StudyFileOptions {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", description = "The study's folder. Default: runs/NAME (the study's name).")
        Path out;

        /** The study folder: --out, or runs/NAME. */
        Path folder(StudyFile.Located study) {
            return out != null ? out : Path.of("runs", study.study().name());
        }

    }

    @Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = "Run a study: reuse the stages whose inputs are unchanged, make the others. Prints each stage as it goes, "
                    + "then the report's path.")
    static final class Run extends StudyFileOptions implements Callable<Integer> {

        @Option(names = "--fresh", description = "Redo every stage, whatever the folder holds.")
        boolean fresh;

        @Option(names = "--side-by-side", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = SIDE_BY_SIDE + " Default: on; --no-side-by-side makes the stages one after the other.")
        boolean sideBySide;

        @Option(names = "--stage", paramLabel = "NAME", description = "Make only this stage (world, base, decode, synth, rt, "
                + "train-rt, train-srg, eval, probe, report: those the study has), or reuse it where its folder holds it; the "
                + "stages it reads must be finished. Side by side, the study's own run makes its SRG model this way.")
        String stage;

        @Override
        public Integer call() throws IOException {
            StudyFile.Located study = StudyFile.read(file);
            Path dir = folder(study);
            StudyPipeline pipeline = new StudyPipeline(study, dir, new ProgressBars(spec.commandLine().getErr()),
                    VersionProvider.provenance(spec), fresh);
            List<StudyPipeline.StageRecord> done = stage != null ? List.of(pipeline.runStage(stage))
                    : (sideBySide ? pipeline.sideBySide(ChildSrg.STAGES) : pipeline).run();
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%-10s %-14s %-7s %10s%n", "stage", "folder", "done", "seconds");
            for (StudyPipeline.StageRecord r : done) {
                w.printf(Locale.ROOT, "%-10s %-14s %-7s %10.1f%n", r.name(), r.folder() + "/", r.status().word(), r.seconds());
            }
            if (stage != null) {
                return 0;
            }
            Path summary = dir.resolve("report").resolve(StudySummary.FILE);
            if (Files.isRegularFile(summary)) {
                w.println();
                w.println(StudySummary.read(summary).table());
            }
            Path report = dir.resolve("report").resolve(RunReport.FILE_NAME);
            if (Files.isRegularFile(report)) {
                w.println("report: " + report);
            }
            return 0;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = "Check a study file and print what running it would do with each stage: reuse (made from the same "
                    + "inputs), run (never made), resume (interrupted), redo (made from other inputs) or blocked (an input is "
                    + "missing on this machine, e.g. a model folder). Runs nothing.")
    static final class Plan extends StudyFileOptions implements Callable<Integer> {

        @Override
        public Integer call() throws IOException {
            StudyFile.Located study = StudyFile.read(file);
            Path dir = folder(study);
            StudyPipeline pipeline = new StudyPipeline(study, dir, new ProgressBars(spec.commandLine().getErr()), VersionProvider.provenance(spec), false);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "study %s (%s) into %s%n", study.study().name(), file, dir);
            w.printf(Locale.ROOT, "%-10s %-14s %-8s %s%n", "stage", "folder", "action", "fingerprint");
            for (StudyPipeline.StageRecord r : pipeline.plan()) {
                w.printf(Locale.ROOT, "%-10s %-14s %-8s %s%n", r.name(), r.folder() + "/", r.status().word(),
                        r.fingerprint() == null ? r.note() : r.fingerprint().substring(0, 12));
            }
            return 0;
        }
    }
}
