package srg.engine.bench;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-style chat-completions server on 127.0.0.1 that parses each request and answers its
 * n choices at once with a canned refusal: a server that costs nothing, so that a benchmark
 * against it measures the client harness (JSON, HTTP, threads).
 */
public final class CannedChatServer implements AutoCloseable {

    /** Every choice's content. */
    public static final String ANSWER = "I'm sorry, but I can't help with that.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;

    private CannedChatServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on a free port of 127.0.0.1 with {@code threads} handler threads. */
    public static CannedChatServer start(int threads) {
        // Like every production server (uvicorn, vLLM), answer without Nagle's delay: the JDK
        // server writes headers and body separately, and with Nagle each answer would wait
        // for the client's delayed ACK (~40 ms), measuring TCP instead of the harness.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            server.setExecutor(executor);
            server.createContext("/v1/chat/completions", CannedChatServer::answer);
            server.start();
            return new CannedChatServer(server, executor);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the benchmark server on 127.0.0.1", e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}. */
    public URI baseUrl() {
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
            c.putObject("message").put("role", "assistant").put("content", ANSWER);
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
