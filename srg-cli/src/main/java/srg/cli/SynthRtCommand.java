package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.io.RunLock;
import srg.judge.Judges;
import srg.run.RtPairing;
import srg.run.RtSettings;
import srg.synth.QuerySet;
import srg.synth.Synthesizer;

/** {@code srg synth rt}: refusal-training data paired line by line with SRG data. */
@Command(
        name = "rt",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Refusal-training data paired with SRG data: same queries, direct refusals, same benign answers.",
            "",
            "Refusal-training (RT) data over the same queries as SRG data, so that the two differ only in",
            "the supervision: one RT line per SRG line, with the same query; harmful queries get a direct",
            "refusal, benign ones the very final answer of their SRG line, without the reasoning. Queries",
            "the SRG filter left without a sample are left out here too.",
            "",
            "Writes OUT and OUT.summary.json, which shows, computed from the files, that the query sets and",
            "the lines per query are identical, and lists the input queries left out.",
            "",
            "Refusals (--refusals): 'builtin' (short refusals written for srg, drawn per query from --seed),",
            "'srg' (each SRG line's own final answer: RT and SRG then differ only in the reasoning), or a",
            "file: a CSV with a refusal column (Safe_Response, response or refusal) and optionally the",
            "request (Behavior, prompt or query), whose own refusal is used when the query matches, e.g.",
            "../shared/data/refusals/adv_training_behaviors_safe_responses.csv; or a text file, one a line;",
            "or 'model:SPEC': the model writes a direct refusal for each harmful query (temperature 0.7, up",
            "to 3 tries until --judge calls it a refusal, else a built-in one), kept in OUT.cache/run.db.",
            "",
            "Without model:SPEC no model is called: a rerun rewrites the outputs from the SRG file in seconds.",
        })
final class SynthRtCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--harmful", paramLabel = "FILE", description = "The harmful queries given to srg synth (repeatable).")
    List<String> harmful = new ArrayList<>();

    @Option(names = "--benign", paramLabel = "FILE", description = "The benign queries given to srg synth (repeatable).")
    List<String> benign = new ArrayList<>();

    @Option(names = "--srg", required = true, paramLabel = "FILE.jsonl", description = "The SRG data written by srg synth.")
    Path srg;

    @Option(names = "--refusals", defaultValue = "builtin", paramLabel = "builtin|srg|FILE|model:SPEC",
            description = "Where harmful queries' refusals come from (default: ${DEFAULT-VALUE}).")
    String refusals;

    @Option(names = "--judge", defaultValue = Judges.DEFAULT, paramLabel = "SPEC",
            description = "With --refusals model:SPEC, decides whether a written refusal refuses (default: ${DEFAULT-VALUE}).")
    String judge;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the refusal draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The RT data.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (harmful.isEmpty() && benign.isEmpty()) {
            throw new UserError("srg synth rt needs the --harmful and --benign files the SRG data was made from");
        }
        RtPairing pairing = new RtPairing(new RtSettings(harmful, benign, refusals, judge, seed), new ProgressBars(spec.commandLine().getErr()));
        QuerySet queries = pairing.queries();
        // Held until the outputs are written: a second run into OUT stops at once.
        try (RunLock lock = RunLock.file(out)) {
            RtPairing.Outcome o = pairing.run(queries, srg, out, Synthesizer.Outputs.cacheBeside(out), VersionProvider.provenance(spec));
            var w = spec.commandLine().getOut();
            w.println("RT: " + o.rtLines() + " lines for " + o.rtQueries() + " queries; SRG: " + o.srgLines() + " lines for "
                    + o.srgQueries() + " queries");
            w.println("identical queries: " + o.identicalQueries() + ", identical lines per query: " + o.identicalLinesPerQuery()
                    + " (query-set sha256 " + o.querySetSha256() + ")");
            if (o.leftOut() > 0) {
                w.println(o.leftOut() + " of " + queries.size() + " input queries have no SRG sample and are in neither file (listed in "
                        + o.summary() + ")");
            }
            w.println("wrote " + out + " and " + o.summary());
            return o.paired() ? 0 : 1;
        }
    }
}
