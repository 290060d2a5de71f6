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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * A loopback OpenAI-compatible server for CLI tests of model-calling commands: each choice's
 * message comes from a function of (the request body, the choice index) and may carry its
 * reasoning in {@code reasoning_content}, as vLLM's reasoning parser returns it.
 */
final class TeacherServer implements AutoCloseable {

    /** What one choice says. */
    record Reply(String reasoningContent, String content) {
        static Reply of(String content) {
            return new Reply(null, content);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final BiFunction<JsonNode, Integer, Reply> replies;

    TeacherServer(BiFunction<JsonNode, Integer, Reply> replies) throws IOException {
        this.replies = replies;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The last message of a request body (the query, for a teacher). */
    static String lastMessage(JsonNode body) {
        JsonNode messages = body.path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    /** Samples asked for so far (the n of every request). */
    int samplesAsked() {
        return bodies.stream().mapToInt(b -> b.path("n").asInt(1)).sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        bodies.add(body);
        ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-t").put("object", "chat.completion");
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < body.path("n").asInt(1); i++) {
            Reply r = replies.apply(body, i);
            ObjectNode message = choices.addObject().put("index", i).put("finish_reason", "stop").putObject("message");
            message.put("role", "assistant").put("content", r.content());
            if (r.reasoningContent() != null) {
                message.put("reasoning_content", r.reasoningContent());
            }
        }
        byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
