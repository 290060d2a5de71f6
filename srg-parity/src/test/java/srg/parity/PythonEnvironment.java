package srg.parity;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import srg.engine.bench.ReferenceVenv;

/**
 * The Python virtual environment holding the reference implementations (torch, transformers,
 * PEFT), created on first use and reused after, where {@link ReferenceVenv} says it lives (keyed
 * by the hash of the pinned {@code requirements.txt}). pip installs from the machine's package
 * index (a local mirror here and in CI), so nothing is fetched from the internet.
 *
 * <p>A half-built environment is never used: it is marked complete only once pip succeeds, and
 * builds of several worktrees at once wait on a file lock. If it cannot be built, the suite fails
 * with pip's output; it never skips.
 */
final class PythonEnvironment {

    private PythonEnvironment() {}

    /** The environment's interpreter, creating the environment if needed (log lines go to {@code log}). */
    static Path python(Path requirements, Path log) throws IOException, InterruptedException {
        ReferenceVenv env = ReferenceVenv.of(requirements);
        Path venv = env.folder();
        if (env.complete()) {
            return env.python();
        }
        Files.createDirectories(venv.getParent());
        try (FileChannel lockFile = FileChannel.open(venv.resolveSibling(venv.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (env.complete()) {
                return env.python(); // another build made it while this one waited
            }
            String base = System.getenv().getOrDefault("SRG_PYTHON", "python3");
            // --clear: a folder left by an interrupted build starts over.
            run(List.of(base, "-m", "venv", "--clear", venv.toString()), log, 10,
                    "creating the parity suite's Python environment with `" + base + " -m venv` (set SRG_PYTHON to"
                            + " another interpreter if " + base + " lacks venv)");
            run(List.of(env.python().toString(), "-m", "pip", "install", "--no-input", "--disable-pip-version-check",
                    "-r", requirements.toString()), log, 60,
                    "installing the parity suite's reference packages (" + requirements + ") with pip from the"
                            + " machine's package index");
            env.markComplete();
        }
        return env.python();
    }

    /** Runs a command with its output appended to {@code log}; fails with the output's tail. */
    static void run(List<String> command, Path log, int timeoutMinutes, String what)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // The reference reads local folders only: never let the Hugging Face libraries go online.
            pb.environment().put("HF_HUB_OFFLINE", "1");
            pb.environment().put("HF_HUB_DISABLE_TELEMETRY", "1");
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: cannot start " + command.get(0) + " (" + e.getMessage() + ")",
                    e);
        }
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " took over " + timeoutMinutes + " minutes; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "); the end of " + log + ":\n"
                    + tail(log, 40));
        }
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
