package srg.study;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts one stage of a study in a child process, so that it runs beside the rest of the pipeline
 * (a process rather than a thread: DJL allows one open gradient collector per process). The
 * command line is the caller's: srg's CLI starts {@code srg study run FILE --out DIR --stage NAME}.
 */
public interface StageLauncher {

    /**
     * What to start.
     *
     * @param studyFile the study, written out for the child to read
     * @param out the study's folder
     * @param stage the stage to make ({@link Stage#name()})
     * @param fresh redo it even where its folder holds it already
     * @param threads libtorch threads for the child
     * @param log where the child's console goes (appended to)
     */
    record Request(Path studyFile, Path out, String stage, boolean fresh, int threads, Path log) {}

    Process start(Request request) throws IOException;
}
