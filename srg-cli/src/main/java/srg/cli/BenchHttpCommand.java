package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.model.OpenAiChatModel;

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
        CannedServer server = url == null ? CannedServer.start(serverThreads) : null;
        URI base = url != null ? url : server.baseUrl();
        OpenAiChatModel.Config d = OpenAiChatModel.Config.of(model, List.of(base));
        OpenAiChatModel.Config config = new OpenAiChatModel.Config("bench", model, List.of(base), null, concurrency,
                Duration.ofSeconds(60), 3, 64, Map.of(), d.backoffBase(), d.backoffCap(), d.maxRetryAfter());
        SamplingParams params = SamplingParams.of(1.0, 64, 0);
        var out = spec.commandLine().getOut();
        try (OpenAiChatModel client = new OpenAiChatModel(config)) {
            if (warmup > 0) {
                client.sample(requests("warm-up", warmup), params);
            }
            List<SampleRequest> timed = requests("bench", requests);
            long start = System.nanoTime();
            List<List<Completion>> results = client.sample(timed, params);
            double seconds = (System.nanoTime() - start) / 1e9;
            long errors = results.stream().flatMap(List::stream).filter(Completion::isError).count();
            out.printf(Locale.ROOT, "server        %s%n", url == null ? "built-in, same JVM, " + serverThreads + " threads" : base);
            out.printf(Locale.ROOT, "machine       %d cores visible to the JVM, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
            out.printf(Locale.ROOT, "requests      %d (n=%d each) after %d warm-up, concurrency %d%n", requests, samples, warmup, concurrency);
            out.printf(Locale.ROOT, "wall          %.2f s%n", seconds);
            out.printf(Locale.ROOT, "throughput    %.0f requests/s, %.0f samples/s%n", requests / seconds, requests * (double) samples / seconds);
            out.printf(Locale.ROOT, "errors        %d%n", errors);
            return errors == 0 ? 0 : 1;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private List<SampleRequest> requests(String tag, int count) {
        List<SampleRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(SampleRequest.of(Conversation.of("You are a helpful assistant.", tag + " request " + i + ": say something"), samples));
        }
        return out;
    }

    /** An OpenAI-style server that parses each request and answers n canned choices immediately. */
    private static final class CannedServer implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        private final ExecutorService executor;

        private CannedServer(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static CannedServer start(int threads) {
            // Like every production server (uvicorn, vLLM), answer without Nagle's delay: the JDK
            // server writes headers and body separately, and with Nagle each answer would wait
            // for the client's delayed ACK (~40 ms), measuring TCP instead of the harness.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
                ExecutorService executor = Executors.newFixedThreadPool(threads);
                server.setExecutor(executor);
                server.createContext("/v1/chat/completions", CannedServer::answer);
                server.start();
                return new CannedServer(server, executor);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the benchmark server on 127.0.0.1", e);
            }
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
        }

        private static void answer(HttpExchange ex) throws IOException {
            JsonNode request = JSON.readTree(ex.getRequestBody());
            int n = request.path("n").asInt(1);
            ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-bench").put("object", "chat.completion")
                    .put("model", request.path("model").asText());
            ArrayNode choices = root.putArray("choices");
            for (int i = 0; i < n; i++) {
                ObjectNode c = choices.addObject().put("index", i).put("finish_reason", "stop");
                c.putObject("message").put("role", "assistant").put("content", "I'm sorry, but I can't help with that.");
            }
            root.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 12 * n).put("total_tokens", 20 + 12 * n);
            byte[] body = JSON.writeValueAsBytes(root);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
