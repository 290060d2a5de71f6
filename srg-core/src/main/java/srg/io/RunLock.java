package srg.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import srg.UserError;

/**
 * An operating-system lock on what a run writes (a run folder, or an output file), held from
 * before the first write to the end of the run, so that two srg processes never write one place
 * at once: the second stops at once with a message naming the first one's PID. The operating
 * system releases the lock when its holder dies, even by {@code kill -9}, so a stale lock file
 * never blocks a rerun.
 *
 * <p>The lock file holds the holder's PID and is deleted on release, while still locked. A
 * process that locked a file which was deleted meanwhile finds another file (or none) at the
 * path and tries again, so at most one process holds the lock of a path. The check compares
 * file identities by {@code stat}: opening the lock file again would be simpler but must not be
 * done, because closing any descriptor of a file drops the process's POSIX locks on it.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file inside a run folder; commands that want an empty folder overlook it. */
    public static final String FOLDER_LOCK = ".srg.lock";
    private static final int ATTEMPTS = 5;
    /**
     * The lock files this JVM holds. A second channel on one must never be opened: closing it
     * would drop the lock the first one holds.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks run folder {@code dir}, creating it if needed. */
    public static RunLock folder(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(dir + " is a file, not a folder");
        }
        return acquire(dir.resolve(FOLDER_LOCK), dir, "folder");
    }

    /**
     * Locks run folder {@code dir} for a process that makes part of its parent's run (a study's
     * stage made beside the rest): where this process's parent holds the folder's lock, the parent
     * has decided what each of its children writes, and this returns null without locking;
     * otherwise it locks the folder as {@link #folder} does, and fails as it does when another
     * process holds it.
     */
    public static RunLock folderUnlessParentHolds(Path dir) throws IOException {
        try {
            return folder(dir);
        } catch (UserError busy) {
            String holder = holder(dir.resolve(FOLDER_LOCK).toAbsolutePath().normalize());
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            if (holder != null && holder.equals(Long.toString(parent))) {
                return null;
            }
            throw busy;
        }
    }

    /** Locks output file {@code file} through a hidden lock file beside it, {@code .NAME.lock}. */
    public static RunLock file(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        return acquire(abs.resolveSibling("." + abs.getFileName() + ".lock"), file, "file");
    }

    /** True for the lock file of a run folder, which a check for an empty folder should overlook. */
    public static boolean isLockFile(Path p) {
        return p.getFileName() != null && p.getFileName().toString().equals(FOLDER_LOCK);
    }

    private static RunLock acquire(Path file, Path target, String what) throws IOException {
        Path lockFile = file.toAbsolutePath().normalize();
        if (!HELD.add(lockFile)) {
            throw busy(target, what, ProcessHandle.current().pid() + ", this process");
        }
        try {
            return lock(lockFile, target, what);
        } catch (IOException | RuntimeException e) {
            HELD.remove(lockFile);
            throw e;
        }
    }

    private static RunLock lock(Path lockFile, Path target, String what) throws IOException {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object before = identity(lockFile);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException e) {
                channel.close();
                throw new UserError("cannot lock " + lockFile + " (" + e.getMessage() + ")");
            }
            if (lock == null) {
                channel.close();
                throw busy(target, what, holder(lockFile));
            }
            // The file opened is the one at the path if the path named the same file before the
            // open and after the lock: the file held open cannot be freed, so its identity cannot
            // be reused by a new file meanwhile.
            if (before != null && before.equals(identity(lockFile))) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(pid), 0);
                return new RunLock(lockFile, channel, lock);
            }
            channel.close(); // created here, or replaced meanwhile: look again
        }
        throw new UserError("cannot lock " + lockFile + ": it keeps being replaced by other processes");
    }

    /** The file's identity (device and inode), or null when there is none at the path. */
    private static Object identity(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static UserError busy(Path target, String what, String holder) {
        return new UserError(target + " is in use by another srg run (" + (holder == null ? "PID unknown" : "PID " + holder)
                + "); wait for it to finish, or use another " + what);
    }

    /** The PID written in the lock file, or null while its holder has not written it yet. */
    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d+") ? pid : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes the lock file while still holding the lock, then releases it. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
                HELD.remove(file);
            }
        }
    }
}
