package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import srg.chat.Conversation;

/** Streaming clients against a loopback server that streams as srg serve does: what they count and what they time. */
class StreamingLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

    /** A role chunk, one chunk per token (as many tokens as the prompt's digit says), usage, [DONE]; prompt "fail" gets HTTP 500. */
    private void answer(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        bodies.add(body);
        String prompt = body.at("/messages/0/content").asText();
        if (prompt.equals("fail")) {
            ex.sendResponseHeaders(500, -1);
            ex.close();
            return;
        }
        int tokens = Integer.parseInt(prompt);
        StringBuilder sse = new StringBuilder("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n");
        for (int i = 0; i < tokens; i++) {
            sse.append("data: {\"choices\":[{\"delta\":{\"content\":\"t\"}}]}\n\n");
        }
        sse.append("data: {\"choices\":[],\"usage\":{\"completion_tokens\":").append(tokens).append("}}\n\ndata: [DONE]\n\n");
        byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/v1/chat/completions", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @Test
    void countsTokensAndFailuresOfEveryClientsRequests() throws Exception {
        List<Conversation> prompts = new ArrayList<>();
        for (String p : List.of("3", "5", "fail", "1", "2", "4")) {
            prompts.add(Conversation.user(p));
        }
        List<String> warnings = new CopyOnWriteArrayList<>();
        StreamingLoad.Result r = new StreamingLoad(base(), "bench", 16, warnings::add).run(prompts, 2);
        assertEquals(3 + 5 + 1 + 2 + 4, r.completionTokens());
        assertEquals(1, r.errors());
        assertEquals(List.of("request 2 failed: java.io.IOException: HTTP 500"), warnings);
        assertEquals(6, r.ttft().length);
        assertEquals(0.0, r.ttft()[2]);
        assertTrue(r.ttft()[0] > 0 && r.seconds() >= r.ttftPercentile(100), r.toString());
        assertEquals(r.completionTokens() / r.seconds(), r.outputTokensPerSecond(), 1e-9);
        assertEquals(6, bodies.size());
        for (JsonNode b : bodies) {
            assertEquals("bench", b.get("model").asText());
            assertEquals(16, b.get("max_tokens").asInt());
            assertTrue(b.get("stream").asBoolean() && b.at("/stream_options/include_usage").asBoolean(), b.toString());
        }
        // Request i asks with seed i, whichever client sent it.
        assertEquals(List.of(0, 1, 2, 3, 4, 5), bodies.stream().map(b -> b.get("seed").asInt()).sorted().toList());
        assertThrows(IllegalArgumentException.class, () -> new StreamingLoad(base(), "bench", 16, w -> {}).run(prompts, 4));
    }

    @Test
    void percentilesAreNearestRank() {
        StreamingLoad.Result r = new StreamingLoad.Result(10, 2.0, new double[] {0.4, 0.1, 0.3, 0.2}, 0);
        assertEquals(0.2, r.ttftPercentile(50));
        assertEquals(0.4, r.ttftPercentile(99));
        assertEquals(0.1, r.ttftPercentile(1));
        assertEquals(5.0, r.outputTokensPerSecond());
    }
}
