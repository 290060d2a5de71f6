package srg.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for the browser test of the reports. Found as {@code $SRG_CHROMIUM}
 * or {@code chromium} on the PATH; when there is none, installed from Debian's packages
 * ({@code apt-get install chromium}, as root or through {@code sudo -n}), because CI runs
 * {@code mvn -B verify} on a clean machine that has only what the project installs. If it can be
 * neither found nor installed, the test fails with apt-get's output: it never skips.
 */
final class HeadlessChromium {

    // Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
    // this machine's closed network refuses; --no-sandbox because CI runs as root.
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1200,900");

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** Chromium, installed first if the machine has none; {@code log} receives apt-get's output. */
    static synchronized HeadlessChromium find(Path log) throws IOException, InterruptedException {
        String configured = System.getenv("SRG_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("SRG_CHROMIUM=" + configured + ": no such executable");
            }
            return new HeadlessChromium(p);
        }
        Path found = onPath("chromium");
        if (found == null) {
            install(log);
            found = onPath("chromium");
            if (found == null) {
                throw new IllegalStateException("apt-get installed chromium but no chromium is on the PATH ("
                        + System.getenv("PATH") + "); see " + log);
            }
        }
        return new HeadlessChromium(found);
    }

    /** The page's DOM once it has loaded and its load handlers have run, as Chromium serialises it. */
    String dumpDom(Path page, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path out = work.resolve("dom.html");
        Path err = work.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(FLAGS);
        // A profile of its own: runs in parallel (other worktrees, other tests) do not share state.
        command.add("--user-data-dir=" + work.resolve("profile").toAbsolutePath());
        command.add("--dump-dom");
        command.add(page.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("headless Chromium did not finish " + page + " within 120 s; see " + err);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("headless Chromium exited " + p.exitValue() + " on " + page + ":\n" + tail(err, 30));
        }
        return Files.readString(out);
    }

    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(60, TimeUnit.SECONDS);
        // Debian's wrapper script may print a shell warning before the version line.
        List<String> lines = text.lines().filter(l -> l.startsWith("Chromium") || l.startsWith("Google Chrome")).toList();
        return lines.isEmpty() ? text : lines.get(0);
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void install(Path log) throws IOException, InterruptedException {
        List<String> prefix = new ArrayList<>();
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        id.waitFor(60, TimeUnit.SECONDS);
        if (!uid.equals("0")) {
            // Not root: apt-get needs sudo, and sudo must not ask for a password (-n).
            if (onPath("sudo") == null || exit(List.of("sudo", "-n", "true"), log) != 0) {
                throw new IllegalStateException("Chromium is not installed and this user (uid " + uid + ") cannot install it "
                        + "without a password: run `apt-get install chromium` as root, or point SRG_CHROMIUM at a Chromium or "
                        + "Chrome executable");
            }
            prefix.addAll(List.of("sudo", "-n"));
        }
        System.err.println("ReportInBrowserTest: no chromium on this machine; installing Debian's (apt-get install chromium), log in " + log);
        List<String> install = new ArrayList<>(prefix);
        // Wait for another apt-get (a second build on the machine) rather than fail on its lock.
        install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y",
                "--no-install-recommends", "chromium"));
        if (exit(install, log) == 0) {
            return;
        }
        // A fresh machine may have no package lists yet.
        List<String> update = new ArrayList<>(prefix);
        update.addAll(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "update"));
        exit(update, log);
        if (exit(install, log) != 0) {
            throw new IllegalStateException("could not install Chromium for the browser test (`apt-get install chromium` failed); "
                    + "the end of " + log + ":\n" + tail(log, 30));
        }
    }

    /** Runs a command, its output appended to {@code log}; returns its exit code. */
    private static int exit(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over 15 minutes; see " + log);
        }
        return p.exitValue();
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
