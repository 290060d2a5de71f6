package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import srg.run.ChildProcesses;

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

    private final int jobs;
    private final int cores;
    private final PrintWriter err;
    // Set by the exit hook, under the lock of the running list: no lane starts after it.
    private boolean stopping;

    /** @param jobs lanes at a time; each gets cores / jobs threads (at least one) */
    SeedLanes(int jobs, PrintWriter err) {
        this(jobs, cores(), err);
    }

    SeedLanes(int jobs, int cores, PrintWriter err) {
        this.jobs = jobs;
        this.cores = cores;
        this.err = err;
    }

    /**
     * Where {@code n} seeds do not fill whole rounds of {@code jobs} lanes, how many run first, by
     * themselves, sharing all the cores: the n mod jobs left over. A seed alone on two threads trains
     * RT and SRG side by side, and takes about 12 minutes where a one-thread lane beside another
     * takes about 17 (docs/PERFORMANCE.md); so five seeds on two cores run as one, then two rounds
     * of two, instead of two rounds of two, then one seed on one thread while a core idles.
     */
    int firstAlone(int n) {
        return n % jobs;
    }

    /** The libtorch threads of the i-th of {@code n} lanes (counting from 0). */
    int threads(int i, int n) {
        int first = firstAlone(n);
        return Math.max(1, cores / (i < first ? first : jobs));
    }

    /** How {@code n} seeds will run, for the console. */
    String describe(int n) {
        int first = firstAlone(n);
        String lanes = String.format(Locale.ROOT, "%d lanes of %d thread%s", jobs, threads(n - 1, n), threads(n - 1, n) == 1 ? "" : "s");
        if (first == 0) {
            return String.format(Locale.ROOT, "%d seeds in %s", n, lanes);
        }
        return String.format(Locale.ROOT, "%d seeds: the first %s by %s with %d threads, then %d in %s", n,
                first == 1 ? "one" : Integer.toString(first), first == 1 ? "itself" : "themselves", threads(0, n), n - first, lanes);
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

    /**
     * Runs every lane, {@code jobs} at a time (the first {@link #firstAlone} by themselves, before
     * the others), and waits for all of them.
     */
    Outcome run(List<Lane> lanes) throws IOException, InterruptedException {
        Deque<Lane> waiting = new ArrayDeque<>(lanes);
        int first = firstAlone(lanes.size());
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
                while (!waiting.isEmpty()) {
                    int i = lanes.size() - waiting.size();
                    boolean mayStart = i < first || running.size() < jobs && running.stream().noneMatch(Running::first);
                    if (!mayStart) {
                        break;
                    }
                    Lane lane = waiting.poll();
                    int threads = threads(i, lanes.size());
                    synchronized (running) {
                        if (stopping) {
                            return new Outcome(failed, true); // the hook stops the lanes that run
                        }
                        running.add(new Running(lane, ChildSrg.start(lane.args(), threads, lane.log(), "seed " + lane.seed()),
                                System.nanoTime(), i < first));
                    }
                    err.printf(Locale.ROOT, "seed %d: started (%d thread%s; console in %s)%n", lane.seed(), threads,
                            threads == 1 ? "" : "s", lane.log());
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
                            finished.lane().seed(), code, took, done, lanes.size(), finished.lane().log(),
                            ChildProcesses.tail(finished.lane().log(), 5));
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

    /** A lane's child process; {@code first}: one of the seeds that run by themselves before the others. */
    private record Running(Lane lane, Process process, long started, boolean first) {}

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
        List<Process> live;
        synchronized (running) {
            live = running.stream().map(Running::process).toList();
        }
        ChildProcesses.stop(live);
    }

    private static String elapsed(long startedNanos) {
        long s = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
