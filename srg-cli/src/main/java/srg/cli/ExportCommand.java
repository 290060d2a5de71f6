package srg.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.io.AtomicFiles;
import srg.judge.Judgment;
import srg.store.RunStore;

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
        long[] rows = {0};
        try (RunStore store = RunStore.openExisting(run)) {
            if ("-".equals(out)) {
                OutputStream stdout = new java.io.FilterOutputStream(System.out) {
                    @Override
                    public void close() throws IOException {
                        flush(); // leave stdout open
                    }
                };
                write(store, stdout, rows);
            } else {
                Path file = out == null ? run.resolve("samples.jsonl") : Path.of(out);
                AtomicFiles.write(file, stream -> write(store, stream, rows));
                spec.commandLine().getOut().println("wrote " + rows[0] + " samples to " + file);
            }
        }
        return 0;
    }

    private static void write(RunStore store, OutputStream stream, long[] rows) throws IOException {
        ObjectMapper json = new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        try (SequenceWriter lines = json.writer().withRootValueSeparator("\n").writeValues(stream)) {
            store.export(row -> {
                ObjectNode o = json.createObjectNode();
                o.put("model", row.sample().model());
                o.put("role", row.role().wireName());
                o.put("attack", row.attack());
                o.put("behavior_id", row.behavior().id());
                o.put("behavior", row.behavior().text());
                o.put("category", row.behavior().category());
                o.put("source", row.behavior().source());
                o.put("context", row.behavior().context());
                o.put("variant", row.variant());
                o.set("attack_params", json.valueToTree(row.params()));
                o.set("messages", json.valueToTree(row.conversation().messages()));
                o.put("sampling", row.sample().sampling());
                o.put("index", row.sample().index());
                o.put("text", row.sample().completion().text());
                o.put("finish_reason", row.sample().completion().finishReason().wireName());
                o.put("error", row.sample().completion().error());
                ObjectNode verdicts = o.putObject("verdicts");
                for (var v : row.verdicts().entrySet()) {
                    Judgment j = v.getValue();
                    ObjectNode vn = verdicts.putObject(v.getKey()).put("verdict", j.verdict().name().toLowerCase(Locale.ROOT));
                    if (j.refusal() == null) {
                        vn.putNull("refusal");
                    } else {
                        vn.put("refusal", j.refusal());
                    }
                    if (j.score() == null) {
                        vn.putNull("score");
                    } else {
                        vn.put("score", j.score());
                    }
                    vn.put("rationale", j.rationale());
                    if (j.helpful() == null) {
                        vn.putNull("helpful");
                    } else {
                        vn.put("helpful", j.helpful());
                    }
                }
                try {
                    lines.write(o);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rows[0]++;
            });
        }
        stream.write('\n');
    }
}
