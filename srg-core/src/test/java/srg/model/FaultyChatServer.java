package srg.model;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OpenAI-style server for tests: it plays a queue of faults, one per request, then
 * answers normally. A normal answer has {@code n} choices whose text names the request's seed and
 * the choice index, so tests can tell samples apart.
 */
final class FaultyChatServer implements AutoCloseable {

    enum Fault { RATE_LIMIT, SERVER_ERROR, TIMEOUT, MALFORMED_JSON, NO_CHOICES, IGNORE_N, BAD_REQUEST }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    volatile String retryAfter = "0";
    volatile long answerDelayMs = 0;
    volatile long timeoutDelayMs = 6000; // well past the client timeout, even on a loaded CI machine
    volatile Fault always = null;

    FaultyChatServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // no 40 ms Nagle/delayed-ACK stalls
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    FaultyChatServer then(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    int requests() {
        return bodies.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        bodies.add(body);
        headers.add(Map.copyOf(ex.getRequestHeaders()));
        Fault fault = always != null ? always : faults.poll();
        if (fault == null || fault == Fault.IGNORE_N) {
            // In flight = being worked on. The count drops before the answer is written: once the
            // client has the answer it may send its next request before this thread runs again.
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            sleep(answerDelayMs);
            inFlight.decrementAndGet();
            send(ex, 200, answer(body, fault == Fault.IGNORE_N ? 1 : body.path("n").asInt(1)));
            return;
        }
        switch (fault) {
            case RATE_LIMIT -> {
                ex.getResponseHeaders().add("Retry-After", retryAfter);
                send(ex, 429, "{\"error\": {\"message\": \"slow down\"}}");
            }
            case SERVER_ERROR -> send(ex, 500, "{\"error\": {\"message\": \"boom\"}}");
            case BAD_REQUEST -> send(ex, 400, "{\"error\": {\"message\": \"bad field\"}}");
            case TIMEOUT -> {
                sleep(timeoutDelayMs);
                send(ex, 200, answer(body, body.path("n").asInt(1)));
            }
            case MALFORMED_JSON -> send(ex, 200, "{\"choices\": [{\"message\": {\"content\": \"cut off");
            case NO_CHOICES -> send(ex, 200, "{\"id\": \"x\", \"object\": \"chat.completion\"}");
            default -> throw new AssertionError(fault);
        }
    }

    private static String answer(JsonNode body, int n) {
        ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
        ArrayNode choices = root.putArray("choices");
        // Reverse order: clients must sort by index.
        for (int i = n - 1; i >= 0; i--) {
            ObjectNode c = choices.addObject().put("index", i).put("finish_reason", i == 0 ? "stop" : "length");
            c.putObject("message").put("role", "assistant").put("content", "seed=" + body.path("seed").asLong() + " i=" + i);
        }
        root.putObject("usage").put("prompt_tokens", 7).put("completion_tokens", 3 * n);
        return root.toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client gave up (timeout) and closed the connection: nothing to answer.
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
