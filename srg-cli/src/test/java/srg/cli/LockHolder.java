package srg.cli;

import java.nio.file.Path;
import srg.io.RunLock;

/**
 * Holds the run lock of a folder ({@code folder PATH}) or an output file ({@code file PATH}) in
 * a JVM of its own until its stdin closes: the other srg process of the lock tests.
 */
final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[1]);
        try (RunLock lock = args[0].equals("folder") ? RunLock.folder(target) : RunLock.file(target)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }
}
