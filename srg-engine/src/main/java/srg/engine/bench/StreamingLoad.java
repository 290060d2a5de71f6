package srg.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import srg.chat.Conversation;

/**
 * Concurrent streaming clients against an OpenAI-compatible server, as users load it: each client
 * sends its requests one after another (temperature 1, streaming, usage included). Measures what
 * clients see: time to the first token's event, completion tokens, the run's wall time, failures.
 */
public final class StreamingLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the clients saw.
     *
     * @param completionTokens completion tokens of every request, as the server's usage reports them
     * @param seconds wall time of the whole run, prefills included
     * @param ttft seconds to the first token's event, per request (0 for a failed one)
     * @param errors requests that failed
     */
    public record Result(long completionTokens, double seconds, double[] ttft, int errors) {

        /** Completion tokens per second of wall time, as clients see the server. */
        public double outputTokensPerSecond() {
            return completionTokens / seconds;
        }

        /** The {@code p}-th percentile (nearest rank) of the time to first token, in seconds. */
        public double ttftPercentile(int p) {
            double[] sorted = ttft.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }
    }

    private final URI url;
    private final String model;
    private final int maxTokens;
    private final Consumer<String> warn;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param base the server's base URL ({@code http://127.0.0.1:8000/v1})
     * @param model the served model's name
     * @param maxTokens {@code max_tokens} of every request
     * @param warn hears each failed request, in one line
     */
    public StreamingLoad(URI base, String model, int maxTokens, Consumer<String> warn) {
        this.url = URI.create(base + "/chat/completions");
        this.model = model;
        this.maxTokens = maxTokens;
        this.warn = warn;
    }

    /**
     * Runs {@code clients} clients: client c sends requests c*R .. c*R+R-1 of {@code prompts}
     * (R = prompts / clients), one after another; request i asks with seed i.
     */
    public Result run(List<Conversation> prompts, int clients) throws InterruptedException {
        if (clients < 1 || prompts.size() % clients != 0) {
            throw new IllegalArgumentException(prompts.size() + " prompts do not split among " + clients + " clients");
        }
        int requests = prompts.size() / clients;
        double[] ttft = new double[prompts.size()];
        long[] tokens = new long[prompts.size()];
        int[] errors = new int[1];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit(() -> {
                    for (int r = 0; r < requests; r++) {
                        int i = client * requests + r;
                        try {
                            long[] got = stream(prompts.get(i), i);
                            ttft[i] = got[0] / 1e9;
                            tokens[i] = got[1];
                        } catch (IOException | RuntimeException e) {
                            synchronized (errors) {
                                errors[0]++;
                            }
                            warn.accept("request " + i + " failed: " + e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a benchmark client failed", e.getCause());
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(Arrays.stream(tokens).sum(), seconds, ttft, errors[0]);
    }

    /** One streaming request: {nanoseconds to the first token's event, completion tokens}. */
    private long[] stream(Conversation prompt, int seed) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("max_tokens", maxTokens).put("temperature", 1.0)
                .put("seed", seed).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt.lastUserContent());
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        long first = -1;
        long completion = -1;
        int events = 0;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            events++;
            if (events == 2) {
                first = System.nanoTime() - sent; // the role chunk comes first, then the first token
            }
            JsonNode event = JSON.readTree(line.substring(6));
            if (event.has("error")) {
                throw new IOException(event.get("error").toString());
            }
            if (event.has("usage")) {
                completion = event.at("/usage/completion_tokens").asLong();
            }
        }
        if (first < 0 || completion < 0) {
            throw new IOException("a stream without tokens or usage");
        }
        return new long[] {first, completion};
    }
}
