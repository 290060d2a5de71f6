package srg.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import srg.chat.ThinkTags;

/**
 * An OpenAI-compatible HTTP server for local models: {@code POST /v1/chat/completions},
 * {@code GET /v1/models} and {@code GET /health}.
 *
 * <p>Built on the JDK's own {@code com.sun.net.httpserver}: no dependency, HTTP/1.1 keep-alive,
 * chunked responses for server-sent events, and a thread per request in flight, which suits a
 * server whose requests spend their time waiting for the model (the model's own thread does the
 * work). Answers go out without Nagle's delay, else every streamed token would wait for the
 * client's delayed ACK.
 *
 * <p>Shutdown ({@link #shutdown}) is graceful: new requests get 503, requests in flight run to
 * their end for a grace period and are then ended with an error (a JSON error, or an error event
 * and {@code [DONE]} on a stream); only then are connections closed.
 */
public final class OpenAiServer {

    /**
     * @param apiKey the bearer key clients must send, or null for none
     * @param maxQueue requests (per model) that may wait for room in the batch before 429
     * @param reasoningTags the think tags whose text goes to {@code reasoning_content}, or null for no parser
     * @param log takes a line about a request that broke or a shutdown that had to cut requests short
     */
    public record Options(String host, int port, String apiKey, int maxQueue, ThinkTags reasoningTags, Consumer<String> log) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 << 20;

    private final HttpServer http;
    private final ExecutorService executor;
    private final ServedModels models;
    private final Options options;
    private final ChatCompletions chat;
    private final long created = System.currentTimeMillis() / 1000;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    private boolean shutdownStarted;

    private OpenAiServer(HttpServer http, ExecutorService executor, ServedModels models, Options options) {
        this.http = http;
        this.executor = executor;
        this.models = models;
        this.options = options;
        this.chat = new ChatCompletions(models, options.maxQueue(), options.reasoningTags());
    }

    /** Binds the port and starts answering; the models go on loading in the background. */
    public static OpenAiServer start(Options options, ServedModels models) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "srg-serve-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        OpenAiServer server = new OpenAiServer(http, executor, models, options);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://HOST:PORT/v1}, what clients take as their base URL. */
    public URI baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + port() + "/v1");
    }

    List<String> modelNames() {
        return models.names();
    }

    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try {
            route(exchange);
        } catch (ApiError e) {
            trySend(exchange, e.status, e.toJson());
        } catch (IOException e) {
            // the client went away; nothing left to tell it
        } catch (RuntimeException e) {
            options.log().accept("bug while answering " + exchange.getRequestURI() + ": " + e);
            trySend(exchange, 500, ApiError.internal(e.toString()).toJson());
        } finally {
            exchange.close();
            if (inFlight.decrementAndGet() == 0) {
                synchronized (inFlight) {
                    inFlight.notifyAll();
                }
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (draining) {
            exchange.getResponseHeaders().set("Connection", "close");
            throw ApiError.unavailable("shutting_down", ChatCompletions.SHUTTING_DOWN);
        }
        switch (path) {
            case "/health" -> {
                expect(method, "GET", path);
                health(exchange);
            }
            case "/v1/models" -> {
                expect(method, "GET", path);
                authorize(exchange);
                sendJson(exchange, 200, modelList());
            }
            case "/v1/chat/completions" -> {
                expect(method, "POST", path);
                authorize(exchange);
                chat.handle(exchange, body(exchange));
            }
            default -> {
                if (!path.startsWith("/v1/models/")) {
                    throw ApiError.notFound(method, path);
                }
                expect(method, "GET", path);
                authorize(exchange);
                String name = path.substring("/v1/models/".length());
                if (!models.names().contains(name)) {
                    throw ApiError.unknownModel(name, models.names());
                }
                sendJson(exchange, 200, modelEntry(name));
            }
        }
    }

    private static void expect(String method, String allowed, String path) {
        if (!method.equals(allowed)) {
            throw ApiError.methodNotAllowed(method, path);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        var ready = models.ready();
        String status = !ready.isDone() ? "loading" : ready.isCompletedExceptionally() ? "failed" : "ok";
        sendJson(exchange, status.equals("ok") ? 200 : 503, JSON.createObjectNode().put("status", status));
    }

    private ObjectNode modelList() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String name : models.names()) {
            data.add(modelEntry(name));
        }
        return root;
    }

    private ObjectNode modelEntry(String name) {
        return JSON.createObjectNode().put("id", name).put("object", "model").put("created", created).put("owned_by", "srg");
    }

    private void authorize(HttpExchange exchange) {
        if (options.apiKey() == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the time taken must not tell how much of a guess was right.
        if (header == null || !MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized();
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw ApiError.tooLarge(MAX_BODY);
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 429) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void trySend(HttpExchange exchange, int status, JsonNode body) {
        try {
            sendJson(exchange, status, body);
        } catch (IOException | RuntimeException e) {
            // headers already sent (a stream) or the client is gone
        }
    }

    /**
     * Stops gracefully: from now on new requests get 503; requests in flight get {@code grace} to
     * finish, then their samples are ended with an error that they pass on to their clients;
     * then the port is closed and the models freed. Safe to call twice (the second call waits).
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (shutdownStarted) {
                awaitStopped();
                return;
            }
            shutdownStarted = true;
        }
        draining = true;
        if (!awaitIdle(grace)) {
            options.log().accept(inFlight.get() + " requests still running after " + grace.toSeconds()
                    + " s; ending them with an error");
            models.loaded().forEach(m -> m.cancelAll(ChatCompletions.SHUTTING_DOWN));
            awaitIdle(Duration.ofSeconds(30));
        }
        http.stop(0);
        executor.shutdownNow();
        models.close();
        stopped.countDown();
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(inFlight, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
