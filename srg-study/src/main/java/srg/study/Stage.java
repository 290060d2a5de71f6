package srg.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One stage of a study: a folder of files made from inputs. The fingerprint of its inputs (its
 * settings, the contents of the files it reads, the fingerprints of the stages it reads from)
 * keys the folder: a rerun reuses a folder whose fingerprint matches and redoes one whose does
 * not. Stages run into {@code FOLDER.partial} and are moved into place when done, so a folder
 * holds a finished stage or nothing.
 */
public abstract class Stage {

    private final String name;
    private final String folder;
    private final String section;

    /**
     * @param name the stage's name: synth, rt, train-rt, eval...
     * @param folder its folder, relative to the study's
     * @param section the study file's section whose settings it takes (for errors): synth, training.rt, eval...
     */
    protected Stage(String name, String folder, String section) {
        this.name = name;
        this.folder = folder;
        this.section = section;
    }

    public final String name() {
        return name;
    }

    public final String folder() {
        return folder;
    }

    public final String section() {
        return section;
    }

    /**
     * The parts of its fingerprint, in order. May read files (their contents count) and earlier
     * stages' fingerprints ({@link StageContext#fingerprint}); throws a user error naming what is
     * missing when an input does not exist.
     */
    public abstract List<String> inputs(StageContext ctx) throws IOException;

    /**
     * Makes the stage's files in {@code dir}. With {@code resuming}, {@code dir} holds this very
     * stage's unfinished work (same fingerprint), to be continued.
     */
    public abstract void run(StageContext ctx, Path dir, boolean resuming) throws IOException;
}
