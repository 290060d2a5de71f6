package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.Conversation;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.bench.GenerationBenchmark;
import srg.engine.bench.PeakMemory;
import srg.engine.generate.GenerationListener;
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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        String loadBefore = loadAverage();
        LocalModel lm = benchModel.load();
        GenerationBenchmark bench = new GenerationBenchmark(lm);
        Conversation shared = bench.promptOfLength(promptTokens);
        List<Conversation> prompts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (int r = 0; r < requests; r++) {
                prompts.add(samePrompt ? shared : bench.promptOfLength("Client " + c + ", request " + r + ": please continue:", promptTokens));
            }
        }
        bench.run(shared, 1, 4, 1); // warm up the JIT and libtorch's allocator
        out.printf(Locale.ROOT, "machine: %s; load average before: %s%n", machine(), loadBefore);
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

        DecodeTiming timing = new DecodeTiming();
        ServedModels served = new ServedModels(List.of(new ServedModels.Entry("bench", () -> lm)), clients, timing);
        OpenAiServer server = OpenAiServer.start(new OpenAiServer.Options("127.0.0.1", 0, null, 4 * clients, null), served);
        served.load();
        try {
            served.ready().get(10, TimeUnit.MINUTES);
            PeakMemory.resetPeak();
            Served result = load(server.baseUrl(), prompts);
            long peak = PeakMemory.peakRssBytes();
            // Again after the server's run (its scheduler is idle now), so that drift on a shared VM shows.
            GenerationBenchmark.Result after = skipInProcess ? null : bench.run(shared, clients, newTokens, 42);
            String loadAfter = loadAverage();
            double serverDecode = timing.tokens.get() / (timing.nanos.get() / 1e9);
            out.printf(Locale.ROOT, "served: %d clients x %d requests, %s prompts of %d tokens, %d completion tokens in %.1f s%n",
                    clients, requests, samePrompt ? "one shared" : "distinct", promptTokens, result.completionTokens(), result.seconds());
            out.printf(Locale.ROOT, "  decode %.1f tok/s (server decode steps), output %.1f tok/s (clients), TTFT p50 %.2f s, p99 %.2f s,"
                    + " peak RSS %.2f GB, errors %d%n", serverDecode, result.completionTokens() / result.seconds(),
                    percentile(result.ttft(), 50), percentile(result.ttft(), 99), peak / 1e9, result.errors());
            if (local != null) {
                double inProcess = (local.decodeTokensPerSecond() + after.decodeTokensPerSecond()) / 2;
                out.printf(Locale.ROOT, "in-process again: decode %.1f tok/s; mean of both %.1f tok/s%n", after.decodeTokensPerSecond(), inProcess);
                out.printf(Locale.ROOT, "served / in-process decode: %.2f (decode steps), %.2f (output as clients see it)%n",
                        serverDecode / inProcess, result.completionTokens() / result.seconds() / inProcess);
            }
            out.printf(Locale.ROOT, "load average after: %s%n", loadAfter);
            return result.errors() == 0 ? 0 : 1;
        } finally {
            server.shutdown(java.time.Duration.ZERO);
        }
    }

    /** Decode steps of the served scheduler. */
    private static final class DecodeTiming implements GenerationListener {
        final AtomicLong tokens = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        @Override
        public void decoded(int count, long time) {
            tokens.addAndGet(count);
            nanos.addAndGet(time);
        }
    }

    private record Served(long completionTokens, double seconds, double[] ttft, int errors) {}

    /** Runs the clients: client c sends requests c*R .. c*R+R-1 of {@code prompts}, one after another. */
    private Served load(URI base, List<Conversation> prompts) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI url = URI.create(base + "/chat/completions");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        double[] ttft = new double[prompts.size()];
        long[] tokens = new long[prompts.size()];
        int[] errors = new int[1];
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                for (int r = 0; r < requests; r++) {
                    int i = client * requests + r;
                    try {
                        long[] got = stream(http, url, prompts.get(i), i);
                        ttft[i] = got[0] / 1e9;
                        tokens[i] = got[1];
                    } catch (IOException | RuntimeException e) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                        System.err.println("request " + i + " failed: " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Served(Arrays.stream(tokens).sum(), seconds, ttft, errors[0]);
    }

    /** One streaming request: {nanoseconds to the first token's event, completion tokens}. */
    private long[] stream(HttpClient http, URI url, Conversation prompt, int seed) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("model", "bench").put("max_tokens", newTokens).put("temperature", 1.0)
                .put("seed", seed).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt.lastUserContent());
        long sent = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        long first = -1;
        long completion = -1;
        int events = 0;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            events++;
            if (events == 2) {
                first = System.nanoTime() - sent; // the role chunk comes first, then the first token
            }
            JsonNode event = JSON.readTree(line.substring(6));
            if (event.has("error")) {
                throw new IOException(event.get("error").toString());
            }
            if (event.has("usage")) {
                completion = event.at("/usage/completion_tokens").asLong();
            }
        }
        if (first < 0 || completion < 0) {
            throw new IOException("a stream without tokens or usage");
        }
        return new long[] {first, completion};
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** CPU model, CPUs, memory and Java version: what docs/PERFORMANCE.md names a machine by. */
    private static String machine() {
        String cpu = procField("/proc/cpuinfo", "model name");
        String memory = procField("/proc/meminfo", "MemTotal");
        String gib = "unknown memory";
        if (memory != null && memory.matches("\\d{1,15} kB")) {
            gib = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memory.substring(0, memory.length() - 3)) / 1048576.0);
        }
        return String.format(Locale.ROOT, "%s, %d CPUs, %s, Java %s", cpu == null ? "unknown CPU" : cpu,
                Runtime.getRuntime().availableProcessors(), gib, Runtime.version());
    }

    /** The value of the first {@code name: value} line of a /proc file, or null (not Linux). */
    private static String procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
