package srg.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.ThinkTags;
import srg.engine.LocalModel;
import srg.engine.generate.GenerationListener;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;
import srg.serve.OpenAiServer;
import srg.serve.ServedModels;

/**
 * srg serve end to end on a loopback port with a tiny random checkpoint: the JDK HTTP client
 * against the API (n > 1, streaming, stop strings, log-probabilities, errors, continuous
 * batching), srg eval through the server against srg eval in-process, and on a real
 * {@code srg serve} process the bearer key from the environment and SIGTERM.
 */
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("srg.shared", "../../shared"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path tmp;

    private static Path tiny;
    private static OpenAiServer server;
    private static URI base;
    /** The widest decode step of the shared server's batch since the last reset. */
    private static final AtomicInteger WIDEST = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        tiny = tmp.resolve("tiny");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN3, RandomCheckpoint.Preset.TINY,
                SHARED.resolve("tokenizers/qwen3"), 7), tiny);
        // Two models served by name (the same weights twice: what matters is that each name reaches its own).
        ServedModels models = new ServedModels(List.of(new ServedModels.Entry("tiny", () -> LocalModel.load(tiny, Device.cpu())),
                new ServedModels.Entry("tiny-b", () -> LocalModel.load(tiny, Device.cpu()))), 8, new GenerationListener() {
                    @Override
                    public void decoded(int tokens, long nanos) {
                        WIDEST.accumulateAndGet(tokens, Math::max);
                    }
                }, System.err::println);
        server = OpenAiServer.start(new OpenAiServer.Options("127.0.0.1", 0, null, 64, null, System.err::println), models);
        base = server.baseUrl();
        models.load();
        models.ready().get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ZERO);
    }

    private static ObjectNode chat(String user, int maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("model", "tiny").put("max_tokens", maxTokens);
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        return body;
    }

    private static HttpResponse<String> post(URI url, JsonNode body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> contents(JsonNode completion) {
        List<String> out = new ArrayList<>();
        completion.get("choices").forEach(c -> out.add(c.at("/message/content").asText()));
        return out;
    }

    /** A streamed answer: every data line's JSON, and whether it ended with [DONE]. */
    private record Stream(List<JsonNode> events, boolean done) {
        /** The concatenated content deltas of each choice. */
        List<String> texts(int n) {
            List<StringBuilder> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new StringBuilder());
            }
            for (JsonNode e : events) {
                for (JsonNode c : e.path("choices")) {
                    out.get(c.get("index").asInt()).append(c.at("/delta/content").asText(""));
                }
            }
            return out.stream().map(StringBuilder::toString).toList();
        }

        List<String> finishReasons(int n) {
            String[] out = new String[n];
            for (JsonNode e : events) {
                for (JsonNode c : e.path("choices")) {
                    if (!c.path("finish_reason").isNull()) {
                        out[c.get("index").asInt()] = c.get("finish_reason").asText();
                    }
                }
            }
            return List.of(out);
        }
    }

    private static Stream stream(URI url, ObjectNode body, String... headers) throws Exception {
        body.put("stream", true);
        HttpRequest.Builder r = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            r.headers(headers);
        }
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        for (String line : response.body().collect(Collectors.toList())) {
            if (!line.startsWith("data: ")) {
                assertTrue(line.isEmpty(), "an SSE stream holds data lines and blank lines: " + line);
                continue;
            }
            assertFalse(done, "nothing after [DONE]");
            String data = line.substring("data: ".length());
            if (data.equals("[DONE]")) {
                done = true;
            } else {
                events.add(JSON.readTree(data));
            }
        }
        return new Stream(events, done);
    }

    private static URI chatUrl(URI base) {
        return URI.create(base + "/chat/completions");
    }

    @Test
    void aRequestSeedGivesTheSamplesOfSrgGenerate() throws Exception {
        // top_k first keeps top_p's sort small on the random checkpoint's near-uniform vocabulary.
        ObjectNode body = JSON.createObjectNode().put("model", "tiny").put("n", 3).put("seed", 11).put("temperature", 0.8)
                .put("top_k", 50).put("top_p", 0.9).put("max_tokens", 12);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "Be brief.");
        messages.addObject().put("role", "user").put("content", "Name three colours.");
        JsonNode served = ok(post(chatUrl(base), body));
        assertEquals(3, served.get("choices").size());
        assertTrue(served.at("/usage/completion_tokens").asInt() > 0, served.toString());

        CliRun generate = CliRun.of("generate", "--model", tiny.toString(), "--system", "Be brief.", "--prompt",
                "Name three colours.", "--n", "3", "--seed", "11", "--temperature", "0.8", "--top-k", "50", "--top-p", "0.9",
                "--max-tokens", "12", "--json", "--dtype", "f32"); // the F32 of the test's server
        assertEquals(0, generate.code(), generate.err());
        List<String> local = new ArrayList<>();
        for (String line : generate.out().strip().split("\n")) {
            local.add(JSON.readTree(line).get("text").asText());
        }
        assertEquals(local, contents(served));
        assertEquals(3, local.stream().distinct().count(), "three different samples: " + local);
        // Another seed, other samples.
        assertNotEquals(local, contents(ok(post(chatUrl(base), body.put("seed", 12)))));
    }

    @Test
    void streamingSpellsTheSameSamplesWithRoleChunksUsageAndDone() throws Exception {
        ObjectNode body = chat("Tell me about rivers.", 10).put("n", 2).put("seed", 5);
        List<String> whole = contents(ok(post(chatUrl(base), body)));
        ObjectNode streamed = body.deepCopy();
        streamed.putObject("stream_options").put("include_usage", true);
        Stream s = stream(chatUrl(base), streamed);
        assertTrue(s.done(), "ends with data: [DONE]");
        assertEquals(whole, s.texts(2));
        assertEquals(List.of("length", "length"), s.finishReasons(2));
        assertEquals("chat.completion.chunk", s.events().get(0).get("object").asText());
        assertEquals("assistant", s.events().get(0).at("/choices/0/delta/role").asText());
        JsonNode last = s.events().get(s.events().size() - 1);
        assertEquals(0, last.get("choices").size());
        assertEquals(20, last.at("/usage/completion_tokens").asInt());
        assertTrue(last.at("/usage/prompt_tokens").asInt() > 0);
    }

    @Test
    void aStopStringCutsTheAnswerWholeAndStreamed() throws Exception {
        ObjectNode body = chat("Count to ten.", 16).put("temperature", 0);
        String full = contents(ok(post(chatUrl(base), body))).get(0);
        assertTrue(full.length() > 8, full);
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        body.putArray("stop").add(stop).add("never-appears-anywhere");
        JsonNode cut = ok(post(chatUrl(base), body));
        assertEquals(full.substring(0, full.indexOf(stop)), cut.at("/choices/0/message/content").asText());
        assertEquals("stop", cut.at("/choices/0/finish_reason").asText());
        Stream s = stream(chatUrl(base), body);
        assertEquals(List.of(full.substring(0, full.indexOf(stop))), s.texts(1));
        assertEquals(List.of("stop"), s.finishReasons(1));
    }

    @Test
    void logprobsOfEveryTokenWithTheMostLikely() throws Exception {
        ObjectNode body = chat("Hello", 6).put("temperature", 0).put("logprobs", true).put("top_logprobs", 3);
        JsonNode r = ok(post(chatUrl(base), body));
        JsonNode content = r.at("/choices/0/logprobs/content");
        assertEquals(r.at("/usage/completion_tokens").asInt(), content.size());
        for (JsonNode token : content) {
            assertTrue(token.get("logprob").asDouble() <= 0);
            assertEquals(3, token.get("top_logprobs").size());
            // Greedy picks the most likely token.
            assertEquals(token.get("logprob").asDouble(), token.at("/top_logprobs/0/logprob").asDouble(), 1e-6);
            assertTrue(token.get("bytes").isArray());
        }
        assertTrue(ok(post(chatUrl(base), chat("Hello", 2))).at("/choices/0/logprobs").isNull());
    }

    @Test
    void badRequestsGetOpenAiErrorsNamingTheParameter() throws Exception {
        assertError(post(chatUrl(base), chat("x", 4).put("temperature", -1)), 400, "temperature");
        assertError(post(chatUrl(base), chat("x", 4).put("n", 0)), 400, "n");
        assertError(post(chatUrl(base), chat("x", 4).put("top_p", 1.5)), 400, "top_p");
        assertError(post(chatUrl(base), chat("x", 4).put("top_logprobs", 2)), 400, "top_logprobs");
        assertError(post(chatUrl(base), chat("x", 4).put("seed", "one")), 400, "seed");
        assertError(post(chatUrl(base), chat("x", 4).put("frequency_penalty", 0.5)), 400, "frequency_penalty");
        assertError(post(chatUrl(base), chat("x", 100_000)), 400, "max_tokens");
        ObjectNode noMessages = JSON.createObjectNode().put("model", "tiny");
        assertError(post(chatUrl(base), noMessages), 400, "messages");
        ObjectNode image = chat("x", 4);
        image.withArray("messages").addObject().put("role", "user").putArray("content").addObject().put("type", "image_url");
        assertError(post(chatUrl(base), image), 400, "messages[1].content");
        assertError(post(chatUrl(base), chat("x", 4).put("model", "no-such-model")), 404, "model");
        HttpResponse<String> notJson = HTTP.send(HttpRequest.newBuilder(chatUrl(base)).POST(HttpRequest.BodyPublishers.ofString("{nope"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(notJson, 400, null);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(chatUrl(base)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(get, 405, null);
        HttpResponse<String> nowhere = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/completions")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(nowhere, 404, null);
    }

    private static void assertError(HttpResponse<String> r, int status, String param) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertTrue(error.get("message").asText().length() > 5, r.body());
        assertTrue(error.has("type") && error.has("code"), r.body());
        if (param == null) {
            assertTrue(error.get("param").isNull(), r.body());
        } else {
            assertEquals(param, error.get("param").asText(), r.body());
        }
    }

    @Test
    void modelsByNameAndHealth() throws Exception {
        JsonNode models = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/models")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("list", models.get("object").asText());
        assertEquals(List.of("tiny", "tiny-b"), models.findValuesAsText("id"));
        ObjectNode body = chat("Which model are you?", 5).put("seed", 4);
        JsonNode first = ok(post(chatUrl(base), body));
        JsonNode second = ok(post(chatUrl(base), body.deepCopy().put("model", "tiny-b")));
        assertEquals("tiny", first.get("model").asText());
        assertEquals("tiny-b", second.get("model").asText());
        assertEquals(contents(first), contents(second), "the same weights and seed under either name");
        HttpResponse<String> one = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/models/tiny")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("tiny", JSON.readTree(one.body()).get("id").asText());
        assertError(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/models/nope")).build(), HttpResponse.BodyHandlers.ofString()),
                404, "model");
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base.toString().replace("/v1", "/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    @Test
    void concurrentRequestsShareTheBatchAndSayWhatTheySayAlone() throws Exception {
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Plain temperature sampling: see docs/ENGINE.md on batch shapes and top-p.
            bodies.add(chat("Request number " + i + (i % 2 == 0 ? "" : ", which is a little longer than the others"), 6 + 3 * i)
                    .put("seed", 100 + i).put("n", 1 + i % 3));
        }
        List<List<String>> alone = new ArrayList<>();
        for (ObjectNode b : bodies) {
            alone.add(contents(ok(post(chatUrl(base), b))));
        }
        WIDEST.set(0);
        List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
        for (ObjectNode b : bodies) {
            together.add(HTTP.sendAsync(HttpRequest.newBuilder(chatUrl(base)).POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < bodies.size(); i++) {
            assertEquals(alone.get(i), contents(ok(together.get(i).get(120, TimeUnit.SECONDS))), "request " + i);
        }
        // No request has more than 3 samples: a wider step decoded several requests together.
        assertTrue(WIDEST.get() > 3, "widest decode step " + WIDEST.get());
    }

    @Test
    void srgEvalThroughTheServerGivesTheInProcessResults() throws Exception {
        String dataset = SHARED.resolve("data/harmful/harmbench_behaviors_text_test.csv") + "?limit=3";
        String[] common = {"--dataset", dataset, "--attacks", "none,caesar", "--n", "5", "--max-tokens", "8", "--seed", "3",
            "--bootstrap", "0"};
        Path local = tmp.resolve("eval-local");
        Path remote = tmp.resolve("eval-remote");
        CliRun a = CliRun.of(concat(new String[] {"eval", "--model", "local:" + tiny + "?name=tiny&dtype=f32", "--out", local.toString()}, common));
        assertEquals(0, a.code(), a.err());
        CliRun b = CliRun.of(concat(new String[] {"eval", "--model", "openai:tiny@" + base + "?max-n=2", "--out", remote.toString()}, common));
        assertEquals(0, b.code(), b.err());
        JsonNode ra = JSON.readTree(local.resolve("results.json").toFile()).at("/models/tiny");
        JsonNode rb = JSON.readTree(remote.resolve("results.json").toFile()).at("/models/tiny");
        assertFalse(ra.isMissingNode());
        assertEquals(ra.get("attacks"), rb.get("attacks"));
        assertEquals(0, CliRun.of("export", local.toString()).code());
        assertEquals(0, CliRun.of("export", remote.toString()).code());
        List<String> la = Files.readAllLines(local.resolve("samples.jsonl")).stream().filter(l -> !l.isBlank()).sorted().toList();
        List<String> lb = Files.readAllLines(remote.resolve("samples.jsonl")).stream().filter(l -> !l.isBlank()).sorted().toList();
        assertEquals(3 * 2 * 5, la.size());
        assertEquals(la, lb, "the same samples, text for text, through the server as in-process");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void loadingKeysQueueLimitAndTheReasoningParser() throws Exception {
        // A model whose chat template opens the reasoning (as DeepSeek-R1's does): all it says is reasoning.
        Path thinker = tmp.resolve("thinker");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.QWEN3, RandomCheckpoint.Preset.TINY,
                SHARED.resolve("tokenizers/qwen3"), 7), thinker);
        ObjectNode config = (ObjectNode) JSON.readTree(thinker.resolve("tokenizer_config.json").toFile());
        config.put("chat_template", "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
                + "{% if add_generation_prompt %}assistant: <think>\n{% endif %}");
        JSON.writeValue(thinker.resolve("tokenizer_config.json").toFile(), config);
        CountDownLatch release = new CountDownLatch(1);
        ServedModels models = new ServedModels(List.of(new ServedModels.Entry("thinker", () -> {
            release.await();
            return LocalModel.load(thinker, Device.cpu());
        })), 1, GenerationListener.NONE, System.err::println);
        OpenAiServer gated = OpenAiServer.start(new OpenAiServer.Options("127.0.0.1", 0, "sekret", 1, ThinkTags.DEFAULT,
                System.err::println), models);
        models.load();
        String[] key = {"Authorization", "Bearer sekret"};
        try {
            URI url = chatUrl(gated.baseUrl());
            URI health = URI.create(gated.baseUrl().toString().replace("/v1", "/health"));
            ObjectNode body = chat("Think about it.", 6).put("model", "thinker").put("seed", 9);
            assertEquals(503, HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertError(post(url, body, key), 503, null);
            release.countDown();
            models.ready().get(120, TimeUnit.SECONDS);
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            assertError(post(url, body), 401, null);
            assertError(post(url, body, "Authorization", "Bearer wrong"), 401, null);
            JsonNode message = ok(post(url, body, key)).at("/choices/0/message");
            assertTrue(message.get("reasoning_content").asText().length() > 0, message.toString());
            assertTrue(message.get("content").isNull(), message.toString());
            Stream s = stream(url, body.deepCopy(), key);
            String reasoning = s.events().stream().map(e -> e.at("/choices/0/delta/reasoning_content").asText(""))
                    .collect(Collectors.joining());
            assertEquals(message.get("reasoning_content").asText(), reasoning);
            assertEquals(List.of(""), s.texts(1));

            // One request decoding (batch of 1), one waiting (queue of 1): the next is refused with 429.
            ObjectNode running = chat("Go on and on.", 3000).put("model", "thinker").put("stream", true);
            HttpResponse<InputStream> first = HTTP.send(HttpRequest.newBuilder(url).header(key[0], key[1])
                    .POST(HttpRequest.BodyPublishers.ofString(running.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader events = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8));
            String line = events.readLine();
            for (int i = 0; i < 100 && !line.contains("reasoning_content"); i++) {
                line = events.readLine();
            }
            assertTrue(line.contains("reasoning_content"), "the first request is decoding");
            // Two more: whichever comes second finds the queue full.
            List<CompletableFuture<HttpResponse<String>>> two = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                two.add(HTTP.sendAsync(HttpRequest.newBuilder(url).header(key[0], key[1])
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.anyOf(two.get(0), two.get(1)).get(60, TimeUnit.SECONDS);
            int refused = two.get(0).isDone() ? 0 : 1;
            assertError(two.get(refused).get(), 429, null);
            assertTrue(two.get(refused).get().headers().firstValue("Retry-After").isPresent());
            assertFalse(two.get(1 - refused).isDone(), "the other one waits for room in the batch");
            events.close(); // the client goes away: its samples leave the batch and the waiting request runs
            assertEquals(200, two.get(1 - refused).get(120, TimeUnit.SECONDS).statusCode());
        } finally {
            gated.shutdown(Duration.ZERO);
        }
    }

    @Test
    void userMistakesAreOneLineErrors() {
        assertUserError(CliRun.of("serve", "--model", "openai:x@http://127.0.0.1:1/v1"), "serves local checkpoint folders");
        assertUserError(CliRun.of("serve", "--model", tmp.resolve("nowhere").toString()), "no such folder");
        assertUserError(CliRun.of("serve", "--model", tiny.toString(), "--model", tiny.toString()), "two models are named tiny");
        assertUserError(CliRun.of("serve", "--model", tiny.toString(), "--reasoning-parser", "deepseek"), "--reasoning-parser");
        assertUserError(CliRun.of("serve", "--model", tiny.toString(), "--port", String.valueOf(base.getPort())), "cannot listen");
        // A folder that is no checkpoint fails while loading, after the port is open: the server stops and says why.
        Path empty = tmp.resolve("empty");
        assertDoesNotThrow(() -> Files.createDirectories(empty));
        assertUserError(CliRun.of("serve", "--model", empty.toString(), "--port", "0"), "config.json");
    }

    private static void assertUserError(CliRun r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aRealProcessTakesItsKeyFromTheEnvironmentAndLetsRequestsInFlightEndCleanlyOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "srg.cli.Main", "serve", "--model", tiny.toString(), "--port", "0", "--shutdown-grace", "1",
                "--api-key-env", "SRG_TEST_SERVE_KEY")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SRG_TEST_SERVE_KEY", "from-the-environment");
        String[] key = {"Authorization", "Bearer from-the-environment"};
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.contains("listening on http://127.0.0.1:"), String.valueOf(line));
            URI served = URI.create(line.substring(line.indexOf("http://")).split(" ")[0]);
            URI health = URI.create(served.toString().replace("/v1", "/health"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the model did not load in time");
                Thread.sleep(100);
            }
            assertTrue(line.contains("bearer key from $SRG_TEST_SERVE_KEY"), line);
            assertError(post(chatUrl(served), chat("x", 2)), 401, null);
            ObjectNode longRun = chat("Go on and on.", 3000);
            HttpResponse<InputStream> streaming = HTTP.send(HttpRequest.newBuilder(chatUrl(served)).headers(key)
                    .POST(HttpRequest.BodyPublishers.ofString(longRun.deepCopy().put("stream", true).toString())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, streaming.statusCode());
            CompletableFuture<HttpResponse<String>> whole = HTTP.sendAsync(HttpRequest.newBuilder(chatUrl(served)).headers(key)
                    .POST(HttpRequest.BodyPublishers.ofString(longRun.toString())).build(), HttpResponse.BodyHandlers.ofString());
            BufferedReader events = new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8));
            events.readLine();
            p.destroy(); // SIGTERM
            String last = null;
            for (String l = events.readLine(); l != null; l = events.readLine()) {
                if (!l.isEmpty()) {
                    last = l;
                }
            }
            assertEquals("data: [DONE]", last, "the stream ends properly, not with a dropped connection");
            HttpResponse<String> w = whole.get(60, TimeUnit.SECONDS);
            assertTrue(w.statusCode() == 200 || w.statusCode() == 503, w.body());
            assertTrue(JSON.readTree(w.body()).has(w.statusCode() == 200 ? "choices" : "error"), w.body());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "srg serve exits after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }
}
