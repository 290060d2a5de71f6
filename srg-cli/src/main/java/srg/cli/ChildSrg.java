package srg.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import srg.UserError;
import srg.study.StageLauncher;

/**
 * An srg command in a child JVM: the same Java, JVM options and class path as this one, with its
 * own libtorch thread count and its console appended to a file. Seeds in lanes run this way, and
 * so does a study's stage made beside the rest ({@link #STAGES}).
 */
final class ChildSrg {

    /** Starts {@code srg study run FILE --out DIR --stage NAME} for a study's stage made beside the rest. */
    static final StageLauncher STAGES = request -> {
        List<String> args = new ArrayList<>(List.of("study", "run", request.studyFile().toString(), "--out",
                request.out().toString(), "--stage", request.stage()));
        if (request.fresh()) {
            args.add("--fresh");
        }
        return start(args, request.threads(), request.log(), request.stage());
    };

    private ChildSrg() {}

    /**
     * Starts {@code srg ARGS} with {@code threads} libtorch threads, its console appended to
     * {@code log} after a line naming the command; {@code what} names the run in errors.
     */
    static Process start(List<String> args, int threads, Path log, String what) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
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
        command.addAll(args);
        // Appended to, so that a rerun after a failure keeps the failed attempt's console.
        Files.writeString(log, String.format(Locale.ROOT, "== srg %s (%s) ==%n", String.join(" ", args),
                LocalDateTime.now().withNano(0)), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        // Their options are among the input arguments copied above already.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UserError("cannot start the run of " + what + " (" + command.get(0) + "): " + e.getMessage());
        }
    }
}
