package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.io.RunLock;
import srg.judge.Judges;
import srg.model.ModelSpec;
import srg.run.SynthSettings;
import srg.run.Synthesis;
import srg.synth.AcceptanceReport;
import srg.synth.Guidelines;
import srg.synth.QuerySet;
import srg.synth.Rejection;
import srg.synth.Synthesizer;
import srg.synth.TeacherPrompt;

/** {@code srg synth}: SRG supervision from a teacher that reasons with guidelines, rejection-sampled; resumable. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 100,
        subcommands = {SynthRtCommand.class, SynthCommand.GuidelinesCommand.class},
        modelTransformer = SynthCommand.JudgeFooter.class,
        description = {
            "SRG supervision: teacher reasoning with guidelines, rejection-sampled, as SFT data; resumable.",
            "",
            "Safety reasoning with guidelines: a teacher writes guideline reasoning and a final answer for",
            "each harmful and benign query; a rejection filter keeps the good samples; the kept ones become",
            "SFT data (query -> <think>reasoning</think> answer, without the guidelines in the prompt).",
            "",
            "Writes OUT (SFT JSONL, OpenAI messages with provenance in \"metadata\"), OUT.rejected.jsonl",
            "(every rejected sample with its reasons) and OUT.summary.json (acceptance per reason, per",
            "guideline, per category). Every teacher and judge-model completion is kept in OUT.cache/run.db:",
            "run the same command again after a crash and only the batch in flight (--batch queries) is asked again.",
            "",
            "The filter rejects a sample whose tags are missing, duplicated or unclosed, whose reasoning or",
            "answer is empty, whose reasoning skips a required guideline (keywords, or --coverage-judge),",
            "or whose final answer misbehaves: a harmful query must end in a refusal and a benign one must",
            "not (--judge, on the final answer alone). At most --keep samples per query are kept.",
            "",
            "Then: srg synth rt (refusal-training data over the same queries), srg synth guidelines (the",
            "default guideline set, to copy and edit).",
        },
        footer = {
            "",
            "Model SPEC (--teacher, and the model of --judge and --coverage-judge):",
            ModelSpec.SYNTAX,
            "Judge SPEC (--judge): one that reports refusals:",
            SynthCommand.JudgeFooter.JUDGES,
            "",
            "Dataset FILE (--harmful, --benign): as in srg eval --help, e.g.",
            "  ../shared/data/harmful/refusal_direction_harmful_train.json, mine.csv?text=prompt&limit=100",
            "",
            "Example:",
            "  srg synth --teacher openai:Qwen/Qwen2.5-72B-Instruct@http://localhost:8000/v1 \\",
            "      --harmful ../shared/data/harmful/refusal_direction_harmful_train.json \\",
            "      --benign '../shared/data/benign/refusal_direction_harmless_train.json?limit=1000' \\",
            "      --k 4 --keep 1 --out data/srg.jsonl",
            "  srg synth rt --harmful ... --benign ... --srg data/srg.jsonl --out data/rt.jsonl",
        })
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", paramLabel = "SPEC", description = "The teacher model (required).")
    String teacher;

    @Option(names = "--harmful", paramLabel = "FILE", description = "Harmful queries (repeatable); rows labelled benign are skipped.")
    List<String> harmful = new ArrayList<>();

    @Option(names = "--benign", paramLabel = "FILE", description = "Benign queries (repeatable); rows labelled harmful are skipped.")
    List<String> benign = new ArrayList<>();

    @Option(names = "--guidelines", paramLabel = "FILE", description = "Guideline set (YAML; default: the built-in set, see srg synth guidelines).")
    Path guidelines;

    @Option(names = "--require", paramLabel = "NAMES", split = ",",
            description = "Guidelines the reasoning must address (default: those marked required, i.e. all of the built-in set).")
    List<String> require;

    @Option(names = "--k", defaultValue = "4", paramLabel = "K", description = "Teacher samples per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--keep", defaultValue = "1", paramLabel = "M", description = "Most accepted samples kept per query (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--judge", defaultValue = Judges.DEFAULT, paramLabel = "SPEC",
            description = "Decides whether a final answer refuses (default: ${DEFAULT-VALUE}).")
    String judge;

    @Option(names = "--coverage-judge", paramLabel = "SPEC",
            description = "A model that decides which guidelines the reasoning addresses (default: each guideline's keywords).")
    String coverageJudge;

    @Option(names = "--think-tags", defaultValue = "<think>,</think>", paramLabel = "OPEN,CLOSE",
            description = "The reasoning's tags, in the prompt and the output (default: ${DEFAULT-VALUE}).")
    String thinkTags;

    @Option(names = "--instructions", defaultValue = "system", paramLabel = "system|user",
            description = "Guidelines in a system message, or in the user message before the query (default: ${DEFAULT-VALUE}).")
    String instructions;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Teacher sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--max-tokens", defaultValue = "2048", description = "Most tokens per teacher sample (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed, recorded in every line (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "QUERIES", description = "Queries per teacher call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where completions are kept for resuming (default: OUT without .jsonl, plus .cache).")
    Path cache;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "The SFT data (required).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (teacher == null || out == null || harmful.isEmpty() && benign.isEmpty()) {
            throw new UserError("srg synth needs --teacher, --out and at least one of --harmful and --benign (see srg synth --help)");
        }
        SynthSettings settings = new SynthSettings(harmful, benign, teacher, guidelines, require, k, keep, judge, coverageJudge,
                ThinkTags.parse(thinkTags), TeacherPrompt.Placement.parse(instructions),
                SamplingParams.checked(temperature, topP, 0, maxTokens, List.of(), seed), batch);
        Synthesis synthesis = new Synthesis(settings, new ProgressBars(spec.commandLine().getErr()));
        synthesis.guidelines();
        QuerySet queries = synthesis.queries();
        Path cacheDir = cache != null ? cache : Synthesizer.Outputs.cacheBeside(out);
        // Held until the outputs are written: a second synth into OUT stops at once.
        try (RunLock lock = RunLock.file(out)) {
            Synthesis.Outcome outcome = synthesis.run(queries, out, cacheDir,
                    VersionProvider.provenance(spec));
            printSummary(outcome);
            return 0;
        }
    }

    private void printSummary(Synthesis.Outcome outcome) {
        var w = spec.commandLine().getOut();
        AcceptanceReport report = outcome.report();
        w.printf(Locale.ROOT, "%d queries, %d teacher samples (%d from the cache, %d drawn, %d failed)%n", outcome.queries(), report.samples(),
                outcome.cachedSamples(), outcome.drawnSamples(), outcome.failedSamples());
        w.printf(Locale.ROOT, "accepted %d of %d samples (%.1f%%); kept %d lines for %d queries%n", report.accepted(), report.samples(),
                report.samples() == 0 ? 0.0 : 100.0 * report.accepted() / report.samples(), report.kept(), report.queriesKept());
        for (Rejection r : Rejection.values()) {
            long n = report.rejections(r);
            if (n > 0) {
                w.printf(Locale.ROOT, "  rejected %-22s %6d  %s%n", r.wireName(), n, r.description());
            }
        }
        StringBuilder rates = new StringBuilder("guidelines addressed:");
        report.addressedRates().forEach((name, rate) -> rates.append(' ').append(name).append(' ')
                .append(rate.isNaN() ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * rate)));
        w.println(rates);
        w.println("wrote " + outcome.outputs().sft() + ", " + outcome.outputs().rejected() + " and " + outcome.outputs().summary());
    }

    /**
     * Writes the judges that report refusals into the footer, from the judge catalogue, so that the
     * help follows the catalogue.
     */
    static final class JudgeFooter implements CommandLine.IModelTransformer {

        /** The footer line that stands for the list. */
        static final String JUDGES = "{judges that report refusals}";

        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<String> footer = new ArrayList<>();
            for (String line : spec.usageMessage().footer()) {
                if (!line.equals(JUDGES)) {
                    footer.add(line);
                    continue;
                }
                for (String syntax : Judges.reportingRefusalsSyntax()) {
                    footer.add("  " + syntax + (syntax.startsWith(Judges.DEFAULT + "[") ? "   (default)" : ""));
                }
            }
            spec.usageMessage().footer(footer.toArray(String[]::new));
            return spec;
        }
    }

    /** {@code srg synth guidelines}: prints a guideline set and its hash. */
    @Command(
            name = "guidelines",
            mixinStandardHelpOptions = true,
            description = {"Print the default guideline set, or check a guideline file; with the set's hash.",
                "",
                "Without --guidelines, prints the built-in set as YAML, comments included, to copy and edit.",
                "The hash printed is the one recorded in every synthesized line."})
    static final class GuidelinesCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--guidelines", paramLabel = "FILE", description = "A guideline file to check (default: the built-in set).")
        Path file;

        @Override
        public Integer call() {
            var w = spec.commandLine().getOut();
            Guidelines set = file == null ? Guidelines.defaults() : Guidelines.load(file);
            if (file == null) {
                w.print(Guidelines.defaultsYaml());
            } else {
                set.guidelines().forEach(g -> w.println(g.name() + (g.required() ? "" : " (optional)") + ": " + g.question()
                        + "  [keywords: " + String.join(", ", g.keywords()) + "]"));
            }
            w.println("# " + set.name() + ": " + set.guidelines().size() + " guidelines " + Arrays.toString(set.names().toArray())
                    + ", sha256 " + set.sha256());
            return 0;
        }
    }
}
