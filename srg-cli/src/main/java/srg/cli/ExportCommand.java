package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.io.AtomicFiles;
import srg.store.RunStore;
import srg.store.SampleExport;

/** {@code srg export}: the run store's samples and verdicts as JSONL. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "Export a run's samples and verdicts as JSONL.",
            "",
            "One JSON object per (prompt, sample) line: model, role, attack, behavior_id, behavior,",
            "category, source, context, variant, attack_params, messages, sampling, index, text,",
            "finish_reason, error, and verdicts {judge: {verdict, refusal, score, rationale, helpful}}.",
        })
final class ExportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder written by srg eval.")
    Path run;

    @Option(names = "--format", defaultValue = "jsonl", description = "Output format; only jsonl (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file, or - for stdout (default: RUN_DIR/samples.jsonl).")
    String out;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("jsonl")) {
            throw new UserError("--format: only jsonl is supported, got '" + format + "'");
        }
        try (RunStore store = RunStore.openExisting(run)) {
            if ("-".equals(out)) {
                SampleExport.write(store, System.out);
                System.out.flush();
            } else {
                Path file = out == null ? run.resolve(SampleExport.FILE_NAME) : Path.of(out);
                long[] rows = {0};
                AtomicFiles.write(file, stream -> rows[0] = SampleExport.write(store, stream));
                spec.commandLine().getOut().println("wrote " + rows[0] + " samples to " + file);
            }
        }
        return 0;
    }
}
