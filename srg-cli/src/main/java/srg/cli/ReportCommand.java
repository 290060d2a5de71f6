package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import srg.report.RunReport;

/** {@code srg report}: (re)writes report.html for one run, or one page comparing several. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "Write the HTML report of one run, or compare several.",
            "",
            "The page is self-contained (opens offline; charts by Apache ECharts, inlined).",
            "One RUN_DIR: rewrites RUN_DIR/report.html. Several: one page comparing them (written to --out, by default",
            "the first run's folder as report-compare.html).",
        })
final class ReportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders written by srg eval, srg probe or srg quickstart.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the report.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path file = out != null ? out : runs.get(0).resolve(runs.size() == 1 ? RunReport.FILE_NAME : "report-compare.html");
        RunReport.write(RunReport.folders(runs), file);
        spec.commandLine().getOut().println("wrote " + file);
        return 0;
    }
}
