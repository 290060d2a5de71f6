package srg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

/**
 * The lock within one process; ReliabilityTest in srg-cli holds it from another process, and
 * SideBySideTest lends a study folder's lock to a child process.
 */
class RunLockTest {

    @TempDir
    Path tmp;

    @Test
    void aHeldFolderIsRefusedAndFreedOnClose() throws Exception {
        Path run = tmp.resolve("a/run");
        long pid = ProcessHandle.current().pid();
        try (RunLock lock = RunLock.folder(run)) {
            // (Reading the lock file here would drop the lock: closing any descriptor of a file drops the process's locks on it.)
            assertTrue(Files.isRegularFile(run.resolve(RunLock.FOLDER_LOCK)));
            UserError e = assertThrows(UserError.class, () -> RunLock.folder(run));
            assertEquals(run + " is in use by another srg run (PID " + pid + ", this process); wait for it to finish,"
                    + " or use another folder", e.getMessage());
        }
        assertFalse(Files.exists(run.resolve(RunLock.FOLDER_LOCK)), "the lock file goes with the lock");
        try (RunLock again = RunLock.folder(run)) {
            assertTrue(Files.isDirectory(run));
        }
    }

    @Test
    void aChildProcessLocksAFolderItsParentDoesNotHold() throws Exception {
        Path run = tmp.resolve("child/run");
        try (RunLock lock = RunLock.folderUnlessParentHolds(run)) {
            assertTrue(lock != null, "free: locked as by folder()");
            assertThrows(UserError.class, () -> RunLock.folder(run));
            // Held by this process, which is not its own parent: refused like any other holder.
            UserError e = assertThrows(UserError.class, () -> RunLock.folderUnlessParentHolds(run));
            assertTrue(e.getMessage().startsWith(run + " is in use by another srg run"), e.getMessage());
        }
        assertFalse(Files.exists(run.resolve(RunLock.FOLDER_LOCK)));
    }

    @Test
    void aStaleLockFileDoesNotBlock() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(RunLock.FOLDER_LOCK), "999999\nleft by a killed process\n");
        try (RunLock lock = RunLock.folder(run)) {
            assertTrue(RunLock.isLockFile(run.resolve(RunLock.FOLDER_LOCK)));
        }
    }

    @Test
    void anOutputFileIsLockedBesideIt() throws Exception {
        Path out = tmp.resolve("data/srg.jsonl");
        try (RunLock lock = RunLock.file(out)) {
            assertTrue(Files.exists(tmp.resolve("data/.srg.jsonl.lock")));
            UserError e = assertThrows(UserError.class, () -> RunLock.file(out));
            assertTrue(e.getMessage().startsWith(out + " is in use by another srg run"), e.getMessage());
            assertTrue(e.getMessage().endsWith("or use another file"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("data/.srg.jsonl.lock")));
        Files.writeString(tmp.resolve("file"), "x");
        UserError e = assertThrows(UserError.class, () -> RunLock.folder(tmp.resolve("file")));
        assertEquals(tmp.resolve("file") + " is a file, not a folder", e.getMessage());
    }
}
