package srg.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as docs/PERFORMANCE.md names one (CPU model, CPUs, memory,
 * Java), and how busy it was (the load average): a figure from a shared VM means little without
 * both. Read from /proc; "unknown" where that is not Linux.
 */
public final class Machine {

    private Machine() {}

    /** "AMD EPYC 7B13, 2 CPUs, 23.4 GiB, Java 17.0.2+8". */
    public static String describe() {
        return describe(lines("/proc/cpuinfo"), lines("/proc/meminfo"), Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString());
    }

    static String describe(List<String> cpuinfo, List<String> meminfo, int cpus, String java) {
        String cpu = field(cpuinfo, "model name");
        String memory = field(meminfo, "MemTotal");
        String gib = "unknown memory";
        if (memory != null && memory.matches("\\d{1,15} kB")) {
            gib = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memory.substring(0, memory.length() - 3)) / 1048576.0);
        }
        return String.format(Locale.ROOT, "%s, %d CPUs, %s, Java %s", cpu == null ? "unknown CPU" : cpu, cpus, gib, java);
    }

    /** The 1, 5 and 15 minute load averages, "0.52 0.61 0.70", or "unknown". */
    public static String loadAverage() {
        List<String> lines = lines("/proc/loadavg");
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] f = lines.get(0).strip().split("\\s+");
        return f.length < 3 ? "unknown" : f[0] + " " + f[1] + " " + f[2];
    }

    /** The value of the first {@code name: value} line, or null. */
    static String field(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** A /proc file's lines, or none (not Linux). */
    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
