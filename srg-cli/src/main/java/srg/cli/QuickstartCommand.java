package srg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import srg.UserError;
import srg.engine.Devices;
import srg.io.RunLock;
import srg.quickstart.SafetyWorldStudy;
import srg.quickstart.StudyPlan;

/** {@code srg quickstart}: the whole SRG study on SafetyWorld, the built-in model organism. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Run the whole SRG study on SafetyWorld, srg's built-in model organism, on this machine's CPU: "
                + "generate the world, pretrain a small base model on it, train an RT and an SRG model from it on "
                + "plain-form safety data, evaluate all three with Best-of-N sampling on plain harmful requests, seven "
                + "disguises and benign requests, and compare their hidden states. Writes report.html, results.json, "
                + "probe.json and safetyworld.json to --out and prints a summary. Stages are cached in --out: a rerun "
                + "reuses the models and the samples already drawn (an interrupted run resumes). See "
                + "docs/SAFETYWORLD.md.")
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Run folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--n", defaultValue = "32", description = "Samples per attacked prompt (N of Best-of-N). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", defaultValue = "7", description = "World and training seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--fresh", description = "Rebuild the models and re-run the evaluation instead of reusing them.")
    boolean fresh;

    @Option(names = "--smoke", description = "A tiny world and model that run end to end in about a minute; "
            + "checks the pipeline, its numbers mean nothing.")
    boolean smoke;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new UserError("--n must be at least 1, got " + n);
        }
        StudyPlan plan = smoke ? StudyPlan.smoke(seed, n) : StudyPlan.standard(seed, n);
        SafetyWorldStudy.Outcome outcome;
        // Held for the whole study: a second quickstart into this folder stops at once.
        try (RunLock lock = RunLock.folder(out)) {
            outcome = new SafetyWorldStudy(plan, out, fresh, System.err, Devices.parse(device)).run();
        }
        System.out.println();
        System.out.println(outcome.summary().table());
        System.out.printf(Locale.ROOT, "report: %s%n", out.resolve("report.html"));
        return 0;
    }
}
