package srg.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import srg.UserError;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.Message;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;

/**
 * A chat model behind an OpenAI-compatible {@code /chat/completions} endpoint (vLLM, SGLang,
 * Ollama, llama.cpp server, OpenAI), on the JDK HttpClient.
 *
 * <p>Why not an SDK: the common Java clients reject responses with several choices, and a Best-of-N
 * harness lives on {@code n}. What this adds over a bare POST: at most {@code concurrency} requests
 * in flight; retries with exponential backoff and full jitter on 429, 408, 5xx, timeouts, broken
 * connections and unreadable bodies, honouring {@code Retry-After}; base URLs served round-robin
 * (a retry goes to the next server); and tolerance for servers that ignore {@code n} or drop
 * {@code choices}: it asks again for the samples still missing. A request that still fails becomes
 * {@link Completion#error} samples, never an exception.
 *
 * <p>Seeds: the request for samples {@code i..i+m-1} of a conversation carries a seed derived from
 * the base seed, the conversation and {@code i}, so that asking again for the rest never repeats
 * the same draw. Headers {@code Srg-Seed} and {@code Srg-First-Sample} carry the base seed and
 * {@code i} as well, so that {@code srg serve} can draw the very samples an in-process run draws.
 */
public final class OpenAiChatModel implements ChatModel {

    /**
     * How to reach the server.
     *
     * @param id the model's name in the run store
     * @param model the served model name sent as {@code model}
     * @param baseUrls the servers, e.g. {@code http://localhost:8000/v1}
     * @param apiKey sent as a Bearer token, or null
     * @param concurrency the most requests in flight
     * @param timeout per request
     * @param maxAttempts attempts per request before it becomes an error
     * @param maxN the most samples asked for in one request
     * @param extraBody fields added to every request body (they win over srg's own)
     * @param backoffBase the first retry waits up to this long (full jitter)
     * @param backoffCap no retry waits longer than this, except as Retry-After demands
     * @param maxRetryAfter the longest Retry-After honoured
     */
    public record Config(String id, String model, List<URI> baseUrls, String apiKey, int concurrency, Duration timeout,
            int maxAttempts, int maxN, Map<String, JsonNode> extraBody, Duration backoffBase, Duration backoffCap,
            Duration maxRetryAfter) {

        public Config {
            baseUrls = List.copyOf(baseUrls);
            extraBody = Map.copyOf(extraBody);
            if (baseUrls.isEmpty() || concurrency < 1 || maxAttempts < 1 || maxN < 1) {
                throw new IllegalArgumentException("need a base URL, concurrency >= 1, attempts >= 1, max-n >= 1");
            }
        }

        /** Defaults for everything but the endpoint. */
        public static Config of(String model, List<URI> baseUrls) {
            return new Config(model, model, baseUrls, null, 16, Duration.ofSeconds(600), 6, 64, Map.of(),
                    Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(300));
        }

        /** Reads an {@code openai:} model spec; the API key comes from the environment. */
        public static Config from(ModelSpec spec, Map<String, String> env) {
            if (spec.kind() != ModelSpec.Kind.OPENAI) {
                throw new IllegalArgumentException("not an openai spec: " + spec.text());
            }
            String keyVar = spec.options().get("key");
            String key;
            if (keyVar != null) {
                key = env.get(keyVar);
                if (key == null || key.isBlank()) {
                    throw new UserError("model '" + spec.text() + "': environment variable " + keyVar + " (key=) is not set");
                }
            } else {
                // Never send an OpenAI key to another host (a local vLLM, a colleague's server) unasked.
                key = spec.baseUrls().stream().allMatch(u -> u.getHost().endsWith("openai.com")) ? env.get("OPENAI_API_KEY") : null;
            }
            Map<String, JsonNode> extra = new LinkedHashMap<>();
            spec.extraBody().forEach((field, value) -> extra.put(field, jsonOrString(value)));
            Config d = of(spec.model(), spec.baseUrls());
            return new Config(spec.id(), spec.model(), spec.baseUrls(), key,
                    spec.intOption("concurrency", d.concurrency, 1),
                    Duration.ofSeconds(spec.intOption("timeout", (int) d.timeout.toSeconds(), 1)),
                    spec.intOption("retries", d.maxAttempts, 1),
                    spec.intOption("max-n", d.maxN, 1),
                    extra, d.backoffBase, d.backoffCap, d.maxRetryAfter);
        }

        private static JsonNode jsonOrString(String value) {
            try {
                return JSON.readTree(value);
            } catch (JsonProcessingException e) {
                return JSON.getNodeFactory().textNode(value);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The run's base seed, sent beside the request's derived {@code seed} (see {@link #requestSeed}). */
    public static final String SEED_HEADER = "Srg-Seed";
    /** The index of the request's first sample, sent beside its derived {@code seed}. */
    public static final String FIRST_SAMPLE_HEADER = "Srg-First-Sample";

    private final Config config;
    private final HttpClient client;
    private final ExecutorService pool;
    private final AtomicLong nextServer = new AtomicLong();

    public OpenAiChatModel(Config config) {
        this.config = config;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(Math.min(30, Math.max(1, config.timeout.toSeconds()))))
                .build();
        // One thread per request in flight: the pool size is the concurrency bound.
        this.pool = Executors.newFixedThreadPool(config.concurrency, r -> {
            Thread t = new Thread(r, "srg-http-" + config.id);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String id() {
        return config.id;
    }

    public Config config() {
        return config;
    }

    @Override
    public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        // Split each request into chunks of at most maxN samples; each chunk is one task.
        List<List<Future<List<Completion>>>> futures = new ArrayList<>(requests.size());
        for (SampleRequest r : requests) {
            List<Future<List<Completion>>> parts = new ArrayList<>();
            for (int done = 0; done < r.count(); done += config.maxN) {
                int first = r.firstIndex() + done;
                int count = Math.min(config.maxN, r.count() - done);
                parts.add(pool.submit(() -> fetch(r.conversation(), params, first, count)));
            }
            futures.add(parts);
        }
        List<List<Completion>> out = new ArrayList<>(requests.size());
        for (List<Future<List<Completion>>> parts : futures) {
            List<Completion> all = new ArrayList<>();
            for (Future<List<Completion>> f : parts) {
                try {
                    all.addAll(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while sampling from " + config.id, e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("bug in the HTTP backend", e.getCause());
                }
            }
            out.add(all);
        }
        return out;
    }

    /** Samples {@code first .. first+count-1}, asking again for whatever the server left out. */
    private List<Completion> fetch(Conversation conversation, SamplingParams params, int first, int count) {
        List<Completion> got = new ArrayList<>(count);
        int failures = 0;
        while (got.size() < count) {
            int index = first + got.size();
            int need = count - got.size();
            Exchange result = exchange(conversation, params, index, need);
            if (!result.completions.isEmpty()) {
                got.addAll(result.completions.subList(0, Math.min(need, result.completions.size())));
                continue;
            }
            failures++;
            if (!result.retryable || failures >= config.maxAttempts) {
                String why = result.error + (result.retryable ? " (gave up after " + failures + " attempts)" : "");
                got.addAll(Collections.nCopies(need, Completion.error(why)));
                break;
            }
            if (!sleep(backoff(failures, result.retryAfter))) {
                got.addAll(Collections.nCopies(need, Completion.error("interrupted while waiting to retry: " + result.error)));
                break;
            }
        }
        return got;
    }

    /** Full jitter (uniform in [0, min(cap, base·2^(attempt-1))]), unless the server said how long. */
    Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            Duration wait = retryAfter.compareTo(config.maxRetryAfter) > 0 ? config.maxRetryAfter : retryAfter;
            // A little jitter on top keeps a fleet of clients from returning in lockstep.
            return wait.plusMillis(ThreadLocalRandom.current().nextLong(1 + Math.max(1, wait.toMillis() / 10)));
        }
        long ceiling = Math.min(config.backoffCap.toMillis(), config.backoffBase.toMillis() << Math.min(20, attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The outcome of one HTTP exchange: some completions, or an error that may be retried. */
    private record Exchange(List<Completion> completions, String error, boolean retryable, Duration retryAfter) {
        static Exchange ok(List<Completion> completions) {
            return new Exchange(completions, null, false, null);
        }

        static Exchange fail(String error, boolean retryable, Duration retryAfter) {
            return new Exchange(List.of(), error, retryable, retryAfter);
        }
    }

    private Exchange exchange(Conversation conversation, SamplingParams params, int index, int n) {
        URI base = config.baseUrls.get((int) Math.floorMod(nextServer.getAndIncrement(), (long) config.baseUrls.size()));
        URI url = URI.create(base + "/chat/completions");
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(config.timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(conversation, params, index, n)));
        if (config.apiKey != null) {
            request.header("Authorization", "Bearer " + config.apiKey);
        }
        // Which of srg's own samples the request's seed stands for: other servers ignore these
        // headers; srg serve then draws exactly the samples an in-process run draws.
        request.header(SEED_HEADER, Long.toString(params.seed()));
        request.header(FIRST_SAMPLE_HEADER, Integer.toString(index));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return Exchange.fail("timed out after " + config.timeout.toSeconds() + " s waiting for " + url, true, null);
        } catch (IOException e) {
            return Exchange.fail("cannot reach " + url + ": " + e, true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exchange.fail("interrupted", false, null);
        }
        int status = response.statusCode();
        if (status != 200) {
            boolean retryable = status == 429 || status == 408 || status == 409 || status >= 500;
            return Exchange.fail("HTTP " + status + " from " + url + ": " + snippet(response.body()), retryable, retryAfter(response));
        }
        return parse(url, response.body(), n);
    }

    byte[] body(Conversation conversation, SamplingParams params, int index, int n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", config.model);
        ArrayNode messages = body.putArray("messages");
        for (Message m : conversation.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        if (n > 1) {
            body.put("n", n);
        }
        body.put("temperature", params.temperature());
        if (params.topP() < 1) {
            body.put("top_p", params.topP());
        }
        if (params.topK() > 0) {
            body.put("top_k", params.topK());
        }
        body.put("max_tokens", params.maxTokens());
        if (!params.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            params.stop().forEach(stop::add);
        }
        body.put("seed", requestSeed(params.seed(), conversation, index));
        config.extraBody.forEach(body::set);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON request body", e);
        }
    }

    /**
     * The seed of the request whose first sample is {@code index}: a SplitMix64 mix of the base
     * seed, the conversation hash and the index, kept to 31 bits because some servers (llama.cpp)
     * read seeds as 32-bit integers.
     */
    public static long requestSeed(long seed, Conversation conversation, int index) {
        long h = Long.parseUnsignedLong(conversation.sha256().substring(0, 15), 16);
        long z = seed * 0x9E3779B97F4A7C15L ^ h ^ ((long) index * 0xBF58476D1CE4E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0x7fffffffL;
    }

    /** Reads the choices; a body without usable choices is an error worth retrying. */
    private static Exchange parse(URI url, byte[] bytes, int n) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            return Exchange.fail("malformed JSON from " + url + ": " + snippet(bytes), true, null);
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            String error = root != null && root.has("error") ? root.get("error").toString() : snippet(bytes);
            return Exchange.fail("no choices in the response from " + url + ": " + error, true, null);
        }
        List<JsonNode> sorted = new ArrayList<>();
        choices.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(c -> c.path("index").asInt(0)));
        JsonNode usage = root.path("usage");
        int promptTokens = usage.path("prompt_tokens").asInt(-1);
        // Usage sums over all choices; per-sample counts are only known for a single choice.
        int completionTokens = sorted.size() == 1 ? usage.path("completion_tokens").asInt(-1) : -1;
        List<Completion> out = new ArrayList<>(sorted.size());
        for (JsonNode choice : sorted) {
            JsonNode message = choice.path("message");
            if (!message.isObject()) {
                return Exchange.fail("a choice without a message from " + url + ": " + snippet(bytes), true, null);
            }
            FinishReason reason = "length".equals(choice.path("finish_reason").asText()) ? FinishReason.LENGTH : FinishReason.STOP;
            out.add(Completion.of(reasoning(message) + content(message.get("content")), reason, promptTokens, completionTokens));
        }
        return Exchange.ok(out.subList(0, Math.min(n, out.size())));
    }

    /**
     * Reasoning that the server split off the answer ({@code reasoning_content} from vLLM's and
     * SGLang's reasoning parsers and DeepSeek's API, {@code reasoning} from newer vLLM and
     * OpenRouter), put back in front of it in think tags, so that judges and the SRG filter see
     * the same shape whether or not the server parses reasoning.
     */
    private static String reasoning(JsonNode message) {
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            JsonNode r = message.get(field);
            if (r != null && r.isTextual() && !r.asText().isBlank()) {
                return ThinkTags.DEFAULT.open() + "\n" + r.asText().strip() + "\n" + ThinkTags.DEFAULT.close() + "\n\n";
            }
        }
        return "";
    }

    /** The message text: a string, null (empty), or a list of typed parts whose text is joined. */
    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            content.forEach(part -> sb.append(part.path("text").asText("")));
            return sb.toString();
        }
        return content.asText();
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        // OpenAI sends retry-after-ms; the standard header is seconds or an HTTP date.
        var ms = response.headers().firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(ms.get().trim()));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        var header = response.headers().firstValue("retry-after");
        if (header.isEmpty()) {
            return null;
        }
        String v = header.get().trim();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
