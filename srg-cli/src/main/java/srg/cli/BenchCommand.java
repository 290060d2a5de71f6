package srg.cli;

import picocli.CommandLine.Command;

/** {@code srg bench}: benchmarks, each a command so that its figures can be reproduced. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks (figures in docs/PERFORMANCE.md are produced by these commands).",
        subcommands = {BenchHttpCommand.class, BenchSequentialCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
