package srg.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import srg.UserError;
import srg.run.ChildProcesses;

/**
 * A stage being made in a child process beside the pipeline ({@link StudyPipeline}'s side-by-side
 * training). A JVM exit (Ctrl-C) asks the child to stop as its own Ctrl-C would, so that it saves
 * its checkpoint; so does {@link #close()} when the pipeline fails before the child ends.
 */
final class BesideStage implements AutoCloseable {

    /** The folder of the study's folder that holds what the children need and write: their study file and consoles. */
    static final String FOLDER = "beside";

    private final Stage stage;
    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private BesideStage(Stage stage, Process process, Path log) {
        this.stage = stage;
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(() -> ChildProcesses.stop(List.of(process)), "srg-stop-" + stage.name());
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Writes the study for the child and starts it, {@code threads} libtorch threads, its console in FOLDER/STAGE.log. */
    static BesideStage start(StageLauncher launcher, StageContext ctx, Stage stage, boolean fresh, int threads) throws IOException {
        Path dir = ctx.out().resolve(FOLDER);
        Files.createDirectories(dir);
        Path file = dir.resolve("study.yaml");
        StudyFile.write(ctx.study(), file);
        Path log = dir.resolve(stage.name() + ".log");
        Process process = launcher.start(new StageLauncher.Request(file, ctx.out(), stage.name(), fresh, threads, log));
        return new BesideStage(stage, process, log);
    }

    Stage stage() {
        return stage;
    }

    Path log() {
        return log;
    }

    /** Waits for the child to end; fails with the end of its console when it failed. */
    void await() throws IOException {
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + stage.name() + " in its second process", e);
        }
        if (code != 0) {
            throw new UserError(String.format(Locale.ROOT, "%s: its second process failed (exit code %d); the end of its console"
                    + " (%s):%n%sRun the study again to continue from its checkpoint", stage.name(), code, log,
                    ChildProcesses.tail(log, 5)));
        }
    }

    /** Stops the child if it still runs (it saves its checkpoint first). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // the hook runs
        }
        ChildProcesses.stop(List.of(process));
    }
}
