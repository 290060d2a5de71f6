package srg.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.engine.model.Precision;
import srg.engine.train.TrainCheckpoint;
import srg.io.RunLock;

/** The training folder policy: a begun run is continued, anything else in the folder is never overwritten. */
class TrainFolderTest {

    private static final UnaryOperator<String> FLAG = s -> "--" + s;

    @TempDir
    Path tmp;

    @Test
    void newAndEmptyFoldersStartARun() throws Exception {
        assertFalse(TrainFolder.continues(tmp.resolve("new"), false));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertFalse(TrainFolder.continues(empty, false));
        try (RunLock lock = RunLock.folder(empty)) {
            assertFalse(TrainFolder.continues(empty, false), "the run's own lock file is not content");
        }
    }

    @Test
    void aBegunRunIsContinuedWithOrWithoutResume() throws Exception {
        Path out = tmp.resolve("begun");
        new TrainCheckpoint(out).begin(new ObjectMapper().createObjectNode().put("steps", 10));
        assertTrue(TrainFolder.continues(out, false));
        assertTrue(TrainFolder.continues(out, true));
    }

    @Test
    void aContinuedRunKeepsTheFormatItBeganInUnlessOneIsNamed() throws Exception {
        Path legacy = tmp.resolve("legacy");
        new TrainCheckpoint(legacy).begin(new ObjectMapper().createObjectNode().put("steps", 10)); // no compute_dtype: F32
        assertEquals(new Precision.Choice(Precision.F32, "the dtype of the run begun in " + legacy), TrainFolder.precision(legacy, null));
        Path bf16 = tmp.resolve("bf16");
        new TrainCheckpoint(bf16).begin(new ObjectMapper().createObjectNode().put("compute_dtype", "bf16"));
        assertEquals(Precision.BF16, TrainFolder.precision(bf16, null).precision());
        // A named format is taken as it is (the trainer then refuses it if it differs from the run's).
        assertEquals(Precision.F32, TrainFolder.precision(bf16, "f32").precision());
        // A new folder gets the default: auto.
        assertEquals(Precision.choose("auto", "compute_dtype").precision(), TrainFolder.precision(tmp.resolve("new"), null).precision());
    }

    @Test
    void otherFoldersAreRefusedNamingTheSetting() throws Exception {
        Path finished = Files.createDirectories(tmp.resolve("finished"));
        Files.writeString(finished.resolve(Training.SUMMARY), "{}");
        SettingError done = assertThrows(SettingError.class, () -> TrainFolder.continues(finished, false));
        assertEquals("--out " + finished + " holds a finished run (train_summary.json); choose a new folder", done.message(FLAG));

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        SettingError full = assertThrows(SettingError.class, () -> TrainFolder.continues(other, false));
        assertEquals("out", full.setting());
        assertTrue(full.getMessage().endsWith(" is not empty; choose a new or empty folder"), full.getMessage());
        assertTrue(Files.exists(other.resolve("notes.txt")));

        SettingError nothing = assertThrows(SettingError.class, () -> TrainFolder.continues(other, true));
        assertEquals("--resume: " + other + " holds no run to continue (no checkpoints folder); leave out --resume to start one",
                nothing.message(FLAG));
    }
}
