package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import srg.UserError;

/**
 * Runs one quickstart per seed as parallel lanes: a child JVM per seed, at most {@code jobs} at a
 * time, each with its share of the cores as libtorch threads and its console in a log file. A
 * seed's models depend on the seed and the CPU kind; the thread count changes at most their last
 * bits, where a sum split over threads adds in another order, and measured, no headline figure
 * (docs/PERFORMANCE.md). They are processes rather than threads because DJL allows one open
 * gradient collector per process.
 */
final class SeedLanes {

    /** One seed's run: the arguments of its {@code srg} command, and where its console goes. */
    record Lane(long seed, List<String> args, Path log) {}

    /** How long a child that was asked to stop may take to save its checkpoint before it is killed. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);

    private final int jobs;
    private final int threadsPerLane;
    private final PrintWriter err;
    // Set by the exit hook, under the lock of the running list: no lane starts after it.
    private boolean stopping;

    /** @param jobs lanes at a time; each gets cores / jobs threads (at least one) */
    SeedLanes(int jobs, PrintWriter err) {
        this.jobs = jobs;
        this.threadsPerLane = Math.max(1, cores() / jobs);
        this.err = err;
    }

    int threadsPerLane() {
        return threadsPerLane;
    }

    /** OMP_NUM_THREADS where it is set (libtorch uses that many), or the processors the JVM sees. */
    private static int cores() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            if (omp != null && Integer.parseInt(omp.trim()) > 0) {
                return Integer.parseInt(omp.trim());
            }
        } catch (NumberFormatException ignored) {
            // libtorch ignores a value it cannot read, and so do lanes
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * How the lanes ended.
     *
     * @param failed the seeds whose run failed
     * @param stopped the JVM began to exit (Ctrl-C) before all lanes ended; the running ones were
     *     asked to stop, as on their own Ctrl-C, and no more were started
     */
    record Outcome(List<Long> failed, boolean stopped) {}

    /** Runs every lane, {@code jobs} at a time, and waits for all of them. */
    Outcome run(List<Lane> lanes) throws IOException, InterruptedException {
        Deque<Lane> waiting = new ArrayDeque<>(lanes);
        List<Running> running = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        Thread stopChildren = new Thread(() -> {
            synchronized (running) {
                stopping = true;
                if (!running.isEmpty()) {
                    err.printf(Locale.ROOT, "stopping: the running seeds save their work (the same command again resumes)%n");
                    err.flush();
                }
            }
            stopAll(running);
        }, "srg-stop-seed-lanes");
        Runtime.getRuntime().addShutdownHook(stopChildren);
        int done = 0;
        try {
            while (!waiting.isEmpty() || !running.isEmpty()) {
                while (running.size() < jobs && !waiting.isEmpty()) {
                    Lane lane = waiting.poll();
                    synchronized (running) {
                        if (stopping) {
                            return new Outcome(failed, true); // the hook stops the lanes that run
                        }
                        running.add(start(lane));
                    }
                    err.printf(Locale.ROOT, "seed %d: started (%d thread%s; console in %s)%n", lane.seed(), threadsPerLane,
                            threadsPerLane == 1 ? "" : "s", lane.log());
                    err.flush();
                }
                Running finished = awaitAny(running);
                synchronized (running) {
                    running.remove(finished);
                }
                done++;
                int code = finished.process().exitValue();
                String took = elapsed(finished.started());
                boolean exiting;
                synchronized (running) {
                    exiting = stopping;
                }
                if (exiting && code != 0) {
                    err.printf(Locale.ROOT, "seed %d: stopped after %s%n", finished.lane().seed(), took);
                } else if (code == 0) {
                    err.printf(Locale.ROOT, "seed %d: done in %s (%d of %d)%n", finished.lane().seed(), took, done, lanes.size());
                } else {
                    failed.add(finished.lane().seed());
                    err.printf(Locale.ROOT, "seed %d: failed with exit code %d after %s (%d of %d); its console: %s%n%s",
                            finished.lane().seed(), code, took, done, lanes.size(), finished.lane().log(), tail(finished.lane().log()));
                }
                err.flush();
            }
            synchronized (running) {
                return new Outcome(failed, stopping);
            }
        } finally {
            stopAll(running);
            try {
                Runtime.getRuntime().removeShutdownHook(stopChildren);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private record Running(Lane lane, Process process, long started) {}

    private Running start(Lane lane) throws IOException {
        Files.createDirectories(lane.log().toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
                command.add(arg); // a debugger's port can be held by one process only
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(lane.args());
        // Appended to, so that a rerun after a failure keeps the failed attempt's console.
        Files.writeString(lane.log(), String.format(Locale.ROOT, "== srg %s (%s) ==%n", String.join(" ", lane.args()),
                LocalDateTime.now().withNano(0)), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(lane.log().toFile()));
        Map<String, String> env = builder.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threadsPerLane));
        // Their options are among the input arguments copied above already.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        try {
            return new Running(lane, builder.start(), System.nanoTime());
        } catch (IOException e) {
            throw new UserError("cannot start the run of seed " + lane.seed() + " (" + command.get(0) + "): " + e.getMessage());
        }
    }

    /** Waits until one of the running children exits, and returns it. */
    private static Running awaitAny(List<Running> running) throws InterruptedException {
        while (true) {
            for (Running r : running) {
                if (r.process().waitFor(200, TimeUnit.MILLISECONDS)) {
                    return r;
                }
            }
        }
    }

    /** Asks every live child to stop (each saves a checkpoint, as on Ctrl-C), then kills any that does not. */
    private static void stopAll(List<Running> running) {
        List<Running> live;
        synchronized (running) {
            live = running.stream().filter(r -> r.process().isAlive()).toList();
        }
        live.forEach(r -> r.process().destroy());
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Running r : live) {
            try {
                if (!r.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    r.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                r.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String elapsed(long startedNanos) {
        long s = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** The last lines of a child's console, indented, without progress-bar redraws. */
    private static String tail(Path log) {
        try {
            String[] lines = Files.readString(log).replace('\r', '\n').split("\n");
            StringBuilder out = new StringBuilder();
            for (int i = Math.max(0, lines.length - 5); i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    out.append("    ").append(lines[i]).append('\n');
                }
            }
            return out.toString();
        } catch (IOException e) {
            return "    (its console cannot be read: " + e.getMessage() + ")\n";
        }
    }
}
