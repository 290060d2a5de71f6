package srg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static srg.model.FaultyChatServer.Fault.BAD_REQUEST;
import static srg.model.FaultyChatServer.Fault.IGNORE_N;
import static srg.model.FaultyChatServer.Fault.MALFORMED_JSON;
import static srg.model.FaultyChatServer.Fault.NO_CHOICES;
import static srg.model.FaultyChatServer.Fault.RATE_LIMIT;
import static srg.model.FaultyChatServer.Fault.SERVER_ERROR;
import static srg.model.FaultyChatServer.Fault.TIMEOUT;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import srg.UserError;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

class OpenAiChatModelTest {

    private static final Conversation HELLO = Conversation.of("be brief", "hello");
    private static final SamplingParams PARAMS = new SamplingParams(0.7, 0.9, 20, 64, List.of("###"), 42);

    private static OpenAiChatModel model(List<URI> urls, int attempts, int concurrency, int maxN) {
        OpenAiChatModel.Config d = OpenAiChatModel.Config.of("m", urls);
        return new OpenAiChatModel(new OpenAiChatModel.Config("m", "m", urls, "sk-test", concurrency, Duration.ofMillis(1500),
                attempts, maxN, Map.of(), Duration.ofMillis(2), Duration.ofMillis(20), d.maxRetryAfter()));
    }

    @Test
    void survivesEveryFaultAndAsksAgainForMissingSamples() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer().then(RATE_LIMIT, SERVER_ERROR, TIMEOUT, MALFORMED_JSON, NO_CHOICES, IGNORE_N);
                OpenAiChatModel m = model(List.of(server.baseUrl()), 10, 4, 64)) {
            List<Completion> out = m.sample(List.of(new SampleRequest(HELLO, 0, 4)), PARAMS).get(0);
            assertEquals(4, out.size());
            assertTrue(out.stream().noneMatch(Completion::isError), out.toString());
            // IGNORE_N returned one choice, so the rest came from a second request with a new seed.
            assertEquals(4, new HashSet<>(out.stream().map(Completion::text).toList()).size(), out.toString());
            assertEquals(7, server.requests());
            assertEquals(4, server.bodies.get(5).get("n").asInt());
            assertEquals(3, server.bodies.get(6).get("n").asInt());
            assertTrue(server.bodies.get(5).get("seed").asLong() != server.bodies.get(6).get("seed").asLong());
            assertEquals(FinishReason.STOP, out.get(1).finishReason());
            assertEquals(FinishReason.LENGTH, out.get(2).finishReason());
        }
    }

    @Test
    void honoursRetryAfter() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer().then(RATE_LIMIT);
                OpenAiChatModel m = model(List.of(server.baseUrl()), 3, 1, 64)) {
            server.retryAfter = "1";
            long start = System.nanoTime();
            Completion c = m.complete(HELLO, PARAMS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertFalse(c.isError());
            assertTrue(ms >= 1000, "waited only " + ms + " ms");
        }
    }

    @Test
    void persistentFailureBecomesErrorSamples() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer();
                OpenAiChatModel m = model(List.of(server.baseUrl()), 3, 2, 64)) {
            server.always = SERVER_ERROR;
            List<Completion> out = m.sample(List.of(SampleRequest.of(HELLO, 3)), PARAMS).get(0);
            assertEquals(3, out.size());
            assertTrue(out.stream().allMatch(Completion::isError));
            assertTrue(out.get(0).error().contains("HTTP 500") && out.get(0).error().contains("gave up after 3 attempts"), out.get(0).error());
            assertEquals(3, server.requests());
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer().then(BAD_REQUEST);
                OpenAiChatModel m = model(List.of(server.baseUrl()), 5, 1, 64)) {
            Completion c = m.complete(HELLO, PARAMS);
            assertTrue(c.isError());
            assertTrue(c.error().contains("HTTP 400") && c.error().contains("bad field"), c.error());
            assertEquals(1, server.requests());
        }
    }

    @Test
    void unreachableServerBecomesError() {
        try (OpenAiChatModel m = model(List.of(URI.create("http://127.0.0.1:9/v1")), 2, 1, 64)) {
            Completion c = m.complete(HELLO, PARAMS);
            assertTrue(c.isError());
            assertTrue(c.error().contains("cannot reach"), c.error());
        }
    }

    @Test
    void roundRobinAndFailover() throws Exception {
        try (FaultyChatServer a = new FaultyChatServer(); FaultyChatServer b = new FaultyChatServer();
                OpenAiChatModel m = model(List.of(a.baseUrl(), b.baseUrl()), 4, 1, 64)) {
            for (int i = 0; i < 4; i++) {
                assertFalse(m.complete(Conversation.user("q" + i), PARAMS).isError());
            }
            assertEquals(2, a.requests());
            assertEquals(2, b.requests());
            a.always = SERVER_ERROR;
            for (int i = 0; i < 4; i++) {
                assertFalse(m.complete(Conversation.user("r" + i), PARAMS).isError());
            }
        }
    }

    @Test
    void splitsLargeNAndBoundsConcurrency() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer();
                OpenAiChatModel m = model(List.of(server.baseUrl()), 2, 3, 4)) {
            server.answerDelayMs = 30;
            List<SampleRequest> requests = List.of(SampleRequest.of(Conversation.user("a"), 10), SampleRequest.of(Conversation.user("b"), 10));
            List<List<Completion>> out = m.sample(requests, PARAMS);
            assertEquals(10, out.get(0).size());
            assertEquals(10, out.get(1).size());
            assertEquals(6, server.requests()); // 4+4+2 per conversation
            assertTrue(server.maxInFlight.get() <= 3 && server.maxInFlight.get() >= 2, "in flight: " + server.maxInFlight.get());
        }
    }

    @Test
    void sendsEverySamplingFieldTheKeyAndExtraBody() throws Exception {
        try (FaultyChatServer server = new FaultyChatServer()) {
            ModelSpec spec = ModelSpec.parse("openai:qwen@" + server.baseUrl() + "/?key=MY_KEY&name=target&extra.repetition_penalty=1.1&extra.chat_template_kwargs={\"enable_thinking\":false}&extra.user=abc");
            OpenAiChatModel.Config config = OpenAiChatModel.Config.from(spec, Map.of("MY_KEY", "sk-123"));
            try (OpenAiChatModel m = new OpenAiChatModel(config)) {
                assertEquals("target", m.id());
                m.sample(List.of(new SampleRequest(HELLO, 3, 2)), PARAMS);
            }
            JsonNode body = server.bodies.get(0);
            assertEquals("qwen", body.get("model").asText());
            assertEquals("system", body.get("messages").get(0).get("role").asText());
            assertEquals("hello", body.get("messages").get(1).get("content").asText());
            assertEquals(2, body.get("n").asInt());
            assertEquals(0.7, body.get("temperature").asDouble());
            assertEquals(0.9, body.get("top_p").asDouble());
            assertEquals(20, body.get("top_k").asInt());
            assertEquals(64, body.get("max_tokens").asInt());
            assertEquals("###", body.get("stop").get(0).asText());
            assertEquals(OpenAiChatModel.requestSeed(42, HELLO, 3), body.get("seed").asLong());
            assertEquals(1.1, body.get("repetition_penalty").asDouble());
            assertFalse(body.get("chat_template_kwargs").get("enable_thinking").asBoolean());
            assertEquals("abc", body.get("user").asText());
            assertEquals(List.of("Bearer sk-123"), server.headers.get(0).get("Authorization"));
        }
    }

    @Test
    void missingKeyVariableIsAUserError() {
        ModelSpec spec = ModelSpec.parse("openai:m@http://localhost:1/v1?key=NOPE_NOT_SET");
        UserError e = assertThrows(UserError.class, () -> OpenAiChatModel.Config.from(spec, Map.of()));
        assertTrue(e.getMessage().contains("NOPE_NOT_SET"), e.getMessage());
    }

    @Test
    void backoffGrowsAndStaysUnderTheCap() {
        try (OpenAiChatModel m = model(List.of(URI.create("http://127.0.0.1:9/v1")), 2, 1, 64)) {
            for (int attempt = 1; attempt < 30; attempt++) {
                long ms = m.backoff(attempt, null).toMillis();
                assertTrue(ms >= 0 && ms <= Math.min(20, 2L << Math.min(20, attempt - 1)), attempt + ": " + ms);
            }
            long wait = m.backoff(1, Duration.ofMillis(500)).toMillis();
            assertTrue(wait >= 500 && wait <= 551, "retry-after wait " + wait);
        }
    }
}
