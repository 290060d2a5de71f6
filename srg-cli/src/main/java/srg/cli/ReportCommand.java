package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.report.RunFolder;
import srg.report.RunReport;

/** {@code srg report}: (re)writes report.html for one run, one page of several, or two runs side by side. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "Write the HTML report of one run, or compare runs.",
            "",
            "The page is self-contained (opens offline; charts by Apache ECharts, inlined): the findings first, then",
            "attack success against N, capability, over-refusal, reasoning, representations, errors and configuration.",
            "One RUN_DIR: rewrites RUN_DIR/report.html. --compare RUN_A RUN_B: the two runs side by side (every figure",
            "in A, in B and B - A; ASR@N curves overlaid). Several RUN_DIRs without --compare: one page with every run's",
            "sections. Both comparisons go to --out, by default report-compare.html in the first run's folder.",
        })
final class ReportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders written by srg eval, srg probe or srg quickstart.")
    List<Path> runs;

    @Option(names = "--compare", description = "Set two runs side by side: srg report --compare RUN_A RUN_B.")
    boolean compare;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the report.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (compare && runs.size() != 2) {
            throw new UserError("--compare takes two run folders (RUN_A RUN_B), got " + runs.size());
        }
        Path file = out != null ? out : runs.get(0).resolve(runs.size() == 1 ? RunReport.FILE_NAME : RunReport.COMPARE_FILE_NAME);
        List<RunFolder> folders = RunReport.folders(runs);
        if (compare) {
            RunReport.compare(folders.get(0), folders.get(1)).write(file);
        } else {
            RunReport.write(folders, file);
        }
        spec.commandLine().getOut().println("wrote " + file);
        return 0;
    }
}
