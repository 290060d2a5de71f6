package srg.cli;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.bench.GenerationBenchmark;
import srg.engine.bench.Machine;
import srg.engine.bench.PeakMemory;
import srg.engine.bench.ServeRatio;
import srg.engine.bench.StepTiming;
import srg.engine.bench.StreamingLoad;
import srg.serve.OpenAiServer;
import srg.serve.ServedModels;

/**
 * {@code srg bench serve}: the server's throughput against the in-process engine's, measured back
 * to back in one process on one loaded model.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "srg serve under --clients concurrent streaming clients against the in-process engine.",
            "",
            "First the in-process figure, as srg bench generate --streams CLIENTS measures it: one prompt of",
            "--prompt-tokens tokens, CLIENTS samples decoded together, --new-tokens each. Then the same model",
            "behind srg serve on 127.0.0.1, in this process: CLIENTS clients each send --requests streaming",
            "requests one after another (temperature 1, max_tokens --new-tokens, prompts of exactly",
            "--prompt-tokens tokens, each client's own unless --same-prompt).",
            "",
            "Reported:",
            "- the machine (CPU model, CPUs, memory, Java) and the load average before and after;",
            "- in-process decode tok/s, measured before and again after the server's run, and their mean;",
            "- served: decode tok/s by the same definition (tokens of decode steps over the time of decode",
            "  steps, on the served scheduler), output tok/s as clients see it (all completion tokens over",
            "  the wall time of the run, prefills included), time to first token p50 and p99 (until the",
            "  first token's event reaches the client), peak RSS while serving, failed requests;",
            "- served / in-process decode: the ratio docs/PERFORMANCE.md tables (goal >= 0.9 at 32 clients).",
            "Exits 1 if any request failed.",
            "",
            "Without --model it uses the random Qwen2.5-0.5B-shaped checkpoint of srg bench generate.",
            "A full run (32 clients, 0.5B) takes many minutes on a small CPU; for a quick check:",
            "  srg bench serve --model TINY_CHECKPOINT --clients 4 --requests 1 --new-tokens 8",
            "",
        })
final class BenchServeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchModel benchModel;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients (and in-process streams). Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--requests", defaultValue = "2", description = "Requests per client, one after another. Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--prompt-tokens", defaultValue = "64",
            description = "Tokens of every prompt, chat template included. Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "128",
            description = "Tokens per in-process stream and max_tokens of every request. Default: ${DEFAULT-VALUE}.")
    int newTokens;

    @Option(names = "--same-prompt", description = "Every request sends the in-process benchmark's prompt.")
    boolean samePrompt;

    @Option(names = "--skip-in-process", description = "Measure the server only (no in-process figure, no ratio).")
    boolean skipInProcess;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || requests < 1 || promptTokens < 1 || newTokens < 2) {
            throw new UserError("--clients, --requests and --prompt-tokens must be >= 1, --new-tokens >= 2");
        }
        var out = spec.commandLine().getOut();
        Path dir = benchModel.folder();
        String loadBefore = Machine.loadAverage();
        LocalModel lm = benchModel.load();
        GenerationBenchmark bench = new GenerationBenchmark(lm);
        Conversation shared = bench.promptOfLength(promptTokens);
        List<Conversation> prompts = samePrompt ? Collections.nCopies(clients * requests, shared)
                : bench.clientPrompts(clients, requests, promptTokens);
        bench.run(shared, 1, 4, 1); // warm up the JIT and libtorch's allocator
        out.printf(Locale.ROOT, "machine: %s; load average before: %s%n", Machine.describe(), loadBefore);
        out.printf(Locale.ROOT, "model %s (%.0fM parameters), %s, %s%n", dir, lm.transformer().config().parameterCount() / 1e6,
                benchModel.device, benchModel.precision.describe());
        out.flush();
        GenerationBenchmark.Result local = null;
        if (!skipInProcess) {
            PeakMemory.resetPeak();
            local = bench.run(shared, clients, newTokens, 42);
            out.printf(Locale.ROOT, "in-process: %d streams x %d tokens, decode %.1f tok/s, peak RSS %.2f GB%n",
                    local.streams(), local.newTokensPerStream(), local.decodeTokensPerSecond(), local.peakRssBytes() / 1e9);
            out.flush();
        }

        StepTiming timing = new StepTiming();
        ServedModels served = new ServedModels(List.of(new ServedModels.Entry("bench", () -> lm)), clients, timing, ServeCommand::log);
        OpenAiServer server = OpenAiServer.start(new OpenAiServer.Options("127.0.0.1", 0, null, 4 * clients, null, ServeCommand::log),
                served);
        served.load();
        try {
            served.ready().get(10, TimeUnit.MINUTES);
            PeakMemory.resetPeak();
            StreamingLoad.Result result = new StreamingLoad(server.baseUrl(), "bench", newTokens, System.err::println)
                    .run(prompts, clients);
            long peak = PeakMemory.peakRssBytes();
            // Again after the server's run (its scheduler is idle now), so that drift on a shared VM shows.
            GenerationBenchmark.Result after = skipInProcess ? null : bench.run(shared, clients, newTokens, 42);
            String loadAfter = Machine.loadAverage();
            out.printf(Locale.ROOT, "served: %d clients x %d requests, %s prompts of %d tokens, %d completion tokens in %.1f s%n",
                    clients, requests, samePrompt ? "one shared" : "distinct", promptTokens, result.completionTokens(), result.seconds());
            out.printf(Locale.ROOT, "  decode %.1f tok/s (server decode steps), output %.1f tok/s (clients), TTFT p50 %.2f s, p99 %.2f s,"
                    + " peak RSS %.2f GB, errors %d%n", timing.decodeTokensPerSecond(), result.outputTokensPerSecond(),
                    result.ttftPercentile(50), result.ttftPercentile(99), peak / 1e9, result.errors());
            if (local != null) {
                ServeRatio ratio = new ServeRatio(local.decodeTokensPerSecond(), after.decodeTokensPerSecond(),
                        timing.decodeTokensPerSecond(), result.outputTokensPerSecond());
                out.printf(Locale.ROOT, "in-process again: decode %.1f tok/s; mean of both %.1f tok/s%n", after.decodeTokensPerSecond(),
                        ratio.inProcess());
                out.printf(Locale.ROOT, "served / in-process decode: %.2f (decode steps), %.2f (output as clients see it)%n",
                        ratio.decode(), ratio.output());
            }
            out.printf(Locale.ROOT, "load average after: %s%n", loadAfter);
            return result.errors() == 0 ? 0 : 1;
        } finally {
            server.shutdown(java.time.Duration.ZERO);
        }
    }
}
