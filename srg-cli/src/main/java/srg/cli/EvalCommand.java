package srg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.eval.AsrMetrics;
import srg.eval.EvalResults;
import srg.eval.ReasoningPolicy;
import srg.eval.ResultsJson;
import srg.eval.SamplingMode;
import srg.io.RunLock;
import srg.judge.JudgeSpec;
import srg.judge.Judges;
import srg.model.ModelSpec;
import srg.report.RunReport;
import srg.run.EvalFolder;
import srg.run.EvalSettings;
import srg.run.Evaluation;
import srg.run.Extensions;
import srg.run.Provenance;
import srg.store.RunStore;

/** {@code srg eval}: Best-of-N attack success rates, resumable, with results.json and report.html. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Best-of-N evaluation: ASR@k per attack and category, over-refusal; resumable.",
            "",
            "Attack every behavior, sample each attacked prompt N times",
            "(or, with --mode sequential, until the first safe response), judge every sample,",
            "and report ASR@k for every k <= N per attack and category with bootstrap 95%% intervals,",
            "plus the over-refusal rate on benign prompts.",
            "",
            "Reasoning models: judges see the final answer, the text after the closing think tag (an",
            "unclosed reasoning leaves an empty answer); --judge-reasoning report|count judges the",
            "reasoning too, and count makes a harmful plan inside it unsafe.",
            "",
            "Everything lands in RUN_DIR/run.db as it is done: after a crash (even kill -9), run the",
            "same command again and it finishes what is missing without recomputing finished work.",
            "Writes RUN_DIR/results.json and RUN_DIR/report.html.",
        },
        footer = {
            "",
            "Model SPEC:",
            ModelSpec.SYNTAX,
            "  Local folders run in-process (srg-engine) and take ?device=cpu|cuda|cuda:N; for large models",
            "  or many samples, serve them with vLLM and use openai:MODEL@URL.",
            "",
            "Judge SPEC:",
            JudgeSpec.SYNTAX,
            "",
            "Dataset FILE (--dataset, --benign):",
            "  FILE[?format=F&text=COL&id=COL&category=COL&context=COL&label=COL&harmful=B&limit=N]",
            "  The format is detected from the extension and header: HarmBench, AdvBench, StrongREJECT",
            "  and XSTest CSVs, refusal-direction JSON lists, one prompt per line (.txt), and any",
            "  CSV/JSON/JSONL once its text column is known (named prompt, behavior, goal, ... or text=).",
            "  format=: harmbench, advbench, advbench-goals, strongreject, xstest, refusal-direction,",
            "  lines, csv, jsonl, json.",
            "",
            "Attacks (--attacks): names from srg attack --list, e.g. none,caesar,past-tense,roleplay+base64;",
            "  model-assisted attacks (past tense, PAP, translation) need --attacker SPEC. PAIR searches against",
            "  each --model in turn (--attacker writes the prompts and scores the answers), then its best prompt",
            "  per behavior is sampled N times like any other.",
            "",
            "Examples:",
            "  srg eval --model openai:llama3-rt@http://localhost:8000/v1 \\",
            "      --dataset harmbench_behaviors_text_test.csv --attacks none --n 64 --mode sequential \\",
            "      --judge llamaguard@openai:meta-llama/Llama-Guard-3-8B@http://localhost:8001/v1 \\",
            "      --benign xstest_prompts.csv --out runs/rt",
            "  srg eval --model sim:refuse=0.9 --dataset advbench_behaviors.csv --n 32 --out runs/dry-run",
        })
final class EvalCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "Target model (repeat to compare several).")
    List<String> models;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Harmful behaviors (repeatable); rows labelled benign are skipped.")
    List<String> datasets;

    @Option(names = "--attacks", defaultValue = "none", paramLabel = "LIST", description = "Comma-separated attacks; 'none' sends plain prompts (default: ${DEFAULT-VALUE}).")
    String attacks;

    @Option(names = "--attacker", paramLabel = "SPEC", description = "Helper model for model-assisted attacks and PAIR.")
    String attacker;

    @Option(names = "--translator", paramLabel = "SPEC", description = "Model for translation and back-translation (default: the attacker).")
    String translator;

    @Option(names = "--templates", paramLabel = "PATH", description = "Folder or YAML file of extra role-play templates with a {behavior} slot.")
    Path templates;

    @Option(names = "--demos", paramLabel = "FILE", description = "Demonstrations for few-shot and many-shot: JSONL of {\"prompt\", \"response\"}.")
    Path demos;

    @Option(names = "--n", defaultValue = "" + EvalSettings.DEFAULT_N, paramLabel = "N", description = "Samples per attacked prompt, the N of Best-of-N (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--mode", defaultValue = "full", paramLabel = "full|sequential",
            description = "full: N samples each; sequential: stop at the first safe sample (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--judge", defaultValue = Judges.DEFAULT, paramLabel = "SPEC", description = "Decides whether a response is unsafe (default: ${DEFAULT-VALUE}).")
    String judge;

    @Option(names = "--benign", paramLabel = "FILE", description = "Benign prompts for over-refusal (repeatable); rows labelled harmful are skipped.")
    List<String> benign = new ArrayList<>();

    @Option(names = "--benign-n", defaultValue = "1", paramLabel = "N", description = "Samples per benign prompt (default: ${DEFAULT-VALUE}).")
    int benignN;

    @Option(names = "--benign-under-attacks",
            description = "Also put the benign prompts through every attack (--benign-n samples each, judged by the refusal judge) "
                    + "and report capability by form: helpful@1 (when the judge reports helpfulness) and the refusal rate.")
    boolean benignUnderAttacks;

    @Option(names = "--latent-refusal",
            description = "With --mode sequential, sample each prompt until it has a safe sample and a refusal (or N usable ones), "
                    + "so that refusal@k is measured too; full mode always measures it. Needs a judge that reports refusals.")
    boolean latentRefusal;

    @Option(names = "--refusal-judge", paramLabel = "SPEC",
            description = "Decides refusals on benign prompts (default: --judge if it reports refusals, else refusal-classifier).")
    String refusalJudge;

    @Option(names = "--judge-reasoning", defaultValue = "off", paramLabel = "off|report|count",
            description = "Judges see the final answer (after the closing think tag); report: judge the reasoning too and show it; "
                    + "count: also count a harmful plan in the reasoning as unsafe (default: ${DEFAULT-VALUE}).")
    String judgeReasoning;

    @Option(names = "--think-tags", defaultValue = "<think>,</think>", paramLabel = "OPEN,CLOSE",
            description = "The tags around a reasoning model's reasoning (default: ${DEFAULT-VALUE}).")
    String thinkTags;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Top-k sampling, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--max-tokens", defaultValue = "512", description = "Most new tokens per sample (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop string (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Seed for sampling, attacks and the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "" + EvalSettings.DEFAULT_BATCH, paramLabel = "SAMPLES", description = "Samples per model call and per store transaction (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--judge-batch", defaultValue = "" + EvalSettings.DEFAULT_JUDGE_BATCH, paramLabel = "N", description = "Responses per judge call (default: ${DEFAULT-VALUE}).")
    int judgeBatch;

    @Option(names = "--bootstrap", defaultValue = "" + EvalSettings.DEFAULT_BOOTSTRAP, paramLabel = "B", description = "Bootstrap resamples for 95%% intervals, 0 = none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Run folder: run.db, results.json, report.html.")
    Path out;

    @Option(names = "--force", description = "Write into an --out folder that holds other files, or whose earlier eval had other "
            + "settings (its results.json and report.html are replaced; run.db keeps every sample).")
    boolean force;

    @Option(names = "--max-error-rate", defaultValue = "" + EvalSettings.DEFAULT_MAX_ERROR_RATE, paramLabel = "R",
            description = "Exit with status 1 when a model's share of failed samples (generation or judge errors) is above R, "
                    + "or when all of them failed; the finished ones stay stored for a rerun (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Override
    public Integer call() throws IOException {
        SamplingParams sampling = SamplingParams.checked(temperature, topP, topK, maxTokens, stop, seed);
        EvalSettings settings = new EvalSettings(datasets, benign, attacks, attacker, translator, templates, demos, n,
                SamplingMode.parse(mode), judge, refusalJudge, benignN, benignUnderAttacks, latentRefusal,
                ReasoningPolicy.parse(judgeReasoning), ThinkTags.parse(thinkTags), sampling, seed, batch, judgeBatch, bootstrap,
                maxErrorRate);
        List<ModelSpec> modelSpecs = models.stream().map(ModelSpec::parse).toList();
        ProgressBars console = new ProgressBars(spec.commandLine().getErr());
        Evaluation evaluation = new Evaluation(settings, Extensions.NONE, console);
        evaluation.load();
        Provenance provenance = VersionProvider.provenance(spec);

        // Held until results.json and report.html are written: a second eval into this folder stops at once.
        try (RunLock lock = RunLock.folder(out)) {
            EvalFolder folder = new EvalFolder(out, force);
            folder.checkContents();
            Evaluation.Outcome outcome = evaluation.run(modelSpecs, out, provenance, null, folder);
            printSummary(outcome.results());
            spec.commandLine().getOut().println("wrote " + out.resolve(ResultsJson.FILE_NAME) + " and " + out.resolve(RunReport.FILE_NAME));
            if (!outcome.tooManyErrors().isEmpty()) {
                spec.commandLine().getErr().println("srg eval: too many errors: " + String.join("; ", outcome.tooManyErrors().stream()
                        .map(f -> f.describe("--max-error-rate")).toList()) + ". The finished samples are kept in "
                        + out.resolve(RunStore.FILE_NAME) + ": fix the cause and rerun the same command to retry only the failed ones");
                return 1;
            }
            return 0;
        }
    }

    private void printSummary(EvalResults results) {
        var w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-28s %-20s %8s %10s %10s %8s%n", "model", "attack", "prompts", "ASR@1", "ASR@" + n, "errors");
        results.models().forEach((id, m) -> {
            m.attacks().forEach((name, a) -> {
                AsrMetrics all = a.all();
                w.printf(Locale.ROOT, "%-28s %-20s %8d %10s %10s %8d%n", id, name, all.prompts(), percent(all.asr(1)), percent(all.asr(n)), all.errors());
                if (a.reasoning() != null) {
                    var r = a.reasoning();
                    w.printf(Locale.ROOT, "%-28s %-20s reasoning in %d of %d samples, unsafe in %d; %d verdicts changed; ASR@1 %s answer only, %s with reasoning%n",
                            "", "", r.withReasoning(), r.samples(), r.unsafeReasoning(), r.changed(), percent(r.asrAnswerOnly()[0]), percent(r.asrWithReasoning()[0]));
                }
                if (a.outcomes() != null) {
                    var o = a.outcomes();
                    w.printf(Locale.ROOT, "%-28s %-20s at k=1: unsafe %s, refusal %s, other %s%s%n", "", "", percent(o.unsafe()),
                            percent(o.refusal()), percent(o.other()), a.refusalAtK() == null ? ""
                                    : String.format(Locale.ROOT, "; refusal@1 %s, refusal@%d %s", percent(a.refusalAtK().at(1)), n,
                                            percent(a.refusalAtK().at(n))));
                }
                if (a.saved() > 0) {
                    w.printf(Locale.ROOT, "%-28s %-20s sequential mode drew %d of %d samples (%.1f%% saved)%n", "", "", a.generated(), a.fullBudget(),
                            100.0 * a.saved() / a.fullBudget());
                }
            });
            if (m.benign() != null) {
                w.printf(Locale.ROOT, "%-28s %-20s %8d over-refusal %s (%s)%n", id, "(benign)", m.benign().all().prompts(),
                        percent(m.benign().all().refusalRate()), m.benign().judge());
            }
            if (m.capability() != null) {
                m.capability().forEach((form, c) -> w.printf(Locale.ROOT, "%-28s %-20s %8d helpful@1 %s, refusal %s%n", id, "(benign, " + form + ")",
                        c.prompts(), c.helpfulAt1() == null ? "not judged" : percent(c.helpfulAt1()), percent(c.refusal().refusalRate())));
            }
        });
    }

    /** A rate as a percentage, or "-" when no usable sample gave one. */
    private static String percent(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }
}
