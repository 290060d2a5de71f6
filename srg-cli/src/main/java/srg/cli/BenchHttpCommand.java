package srg.cli;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.engine.bench.CannedChatServer;
import srg.engine.bench.HttpBenchmark;

/**
 * {@code srg bench http}: how many chat-completion requests per second the HTTP backend sustains
 * when the server costs nothing, i.e. the harness's own overhead (JSON, HTTP, threads).
 */
@Command(
        name = "http",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 100,
        description = {
            "Requests/s of the HTTP backend against a server that answers at once.",
            "",
            "By default the server runs in this JVM on 127.0.0.1: it parses each request body",
            "and writes n canned choices, so client and server share the machine's cores.",
            "--url measures against another server instead.",
        })
final class BenchHttpCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", defaultValue = "20000", description = "Timed requests (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "4000", description = "Untimed requests first, for the JIT (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--concurrency", defaultValue = "64", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--samples", defaultValue = "1", description = "n per request (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--server-threads", defaultValue = "4", description = "Threads of the built-in server (default: ${DEFAULT-VALUE}).")
    int serverThreads;

    @Option(names = "--url", paramLabel = "BASE_URL", description = "Benchmark against this server (e.g. http://host:8000/v1) instead of the built-in one.")
    URI url;

    @Option(names = "--model", defaultValue = "bench", description = "Model name sent with --url (default: ${DEFAULT-VALUE}).")
    String model;

    @Override
    public Integer call() {
        if (requests < 1 || warmup < 0 || concurrency < 1 || samples < 1 || serverThreads < 1) {
            throw new UserError("--requests, --concurrency, --samples and --server-threads must be >= 1, --warmup >= 0");
        }
        try (CannedChatServer server = url == null ? CannedChatServer.start(serverThreads) : null) {
            URI base = url != null ? url : server.baseUrl();
            HttpBenchmark.Result r = HttpBenchmark.run(base, model, requests, warmup, concurrency, samples);
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "server        %s%n", url == null ? "built-in, same JVM, " + serverThreads + " threads" : base);
            out.printf(Locale.ROOT, "machine       %d cores visible to the JVM, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
            out.printf(Locale.ROOT, "requests      %d (n=%d each) after %d warm-up, concurrency %d%n", requests, samples, warmup, concurrency);
            out.printf(Locale.ROOT, "wall          %.2f s%n", r.seconds());
            out.printf(Locale.ROOT, "throughput    %.0f requests/s, %.0f samples/s%n", r.requestsPerSecond(), r.samplesPerSecond());
            out.printf(Locale.ROOT, "errors        %d%n", r.errors());
            return r.errors() == 0 ? 0 : 1;
        }
    }
}
