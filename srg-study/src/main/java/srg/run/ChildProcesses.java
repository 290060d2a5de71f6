package srg.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ending srg's child processes (seeds in lanes, a stage made beside the rest) and reading their consoles. */
public final class ChildProcesses {

    /** How long a child that was asked to stop may take to save its checkpoint before it is killed. */
    public static final Duration STOP_WAIT = Duration.ofMinutes(2);

    private ChildProcesses() {}

    /**
     * Asks every live child to stop, as Ctrl-C does (each saves a checkpoint of its training), then
     * kills those still running after {@link #STOP_WAIT}.
     */
    public static void stop(List<Process> children) {
        List<Process> live = children.stream().filter(Process::isAlive).toList();
        live.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Process p : live) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of a child's console, indented, without progress-bar redraws. */
    public static String tail(Path log, int lines) {
        try {
            String[] all = Files.readString(log).replace('\r', '\n').split("\n");
            StringBuilder out = new StringBuilder();
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                if (!all[i].isBlank()) {
                    out.append("    ").append(all[i]).append('\n');
                }
            }
            return out.toString();
        } catch (IOException e) {
            return "    (its console cannot be read: " + e.getMessage() + ")\n";
        }
    }
}
