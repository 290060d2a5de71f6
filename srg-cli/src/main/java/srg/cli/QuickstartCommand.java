package srg.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code srg quickstart}: the whole SRG study on SafetyWorld. Not built yet (see the SafetyWorld issue). */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Run the whole SRG study on SafetyWorld, the built-in model organism (NOT AVAILABLE YET).")
final class QuickstartCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("""
                srg quickstart is not available yet.

                It will build SafetyWorld, pretrain a small model on it, train RT and SRG models,
                and evaluate all three with Best-of-N sampling. Until that lands, see the README for
                what works today (srg model random, srg generate, srg bench generate).""");
        return 3;
    }
}
