package srg.engine.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.model.OpenAiChatModel;

/**
 * Requests per second that the HTTP backend ({@link OpenAiChatModel}) sustains: short one-turn
 * requests of n samples each, {@code concurrency} in flight, after untimed warm-up requests for
 * the JIT. Against {@link CannedChatServer} it measures the harness's own overhead.
 */
public final class HttpBenchmark {

    /**
     * @param requests timed requests
     * @param samples n of each request
     * @param seconds wall time of the timed requests
     * @param errors samples that came back as errors
     */
    public record Result(int requests, int samples, double seconds, long errors) {

        public double requestsPerSecond() {
            return requests / seconds;
        }

        public double samplesPerSecond() {
            return requests * (double) samples / seconds;
        }
    }

    private HttpBenchmark() {}

    /**
     * {@code warmup} untimed requests, then {@code requests} timed ones, to the server at
     * {@code base} serving {@code model}.
     */
    public static Result run(URI base, String model, int requests, int warmup, int concurrency, int samples) {
        OpenAiChatModel.Config d = OpenAiChatModel.Config.of(model, List.of(base));
        OpenAiChatModel.Config config = new OpenAiChatModel.Config("bench", model, List.of(base), null, concurrency,
                Duration.ofSeconds(60), 3, 64, Map.of(), d.backoffBase(), d.backoffCap(), d.maxRetryAfter());
        SamplingParams params = SamplingParams.of(1.0, 64, 0);
        try (OpenAiChatModel client = new OpenAiChatModel(config)) {
            if (warmup > 0) {
                client.sample(requests("warm-up", warmup, samples), params);
            }
            List<SampleRequest> timed = requests("bench", requests, samples);
            long start = System.nanoTime();
            List<List<Completion>> results = client.sample(timed, params);
            double seconds = (System.nanoTime() - start) / 1e9;
            long errors = results.stream().flatMap(List::stream).filter(Completion::isError).count();
            return new Result(requests, samples, seconds, errors);
        }
    }

    private static List<SampleRequest> requests(String tag, int count, int samples) {
        List<SampleRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(SampleRequest.of(Conversation.of("You are a helpful assistant.", tag + " request " + i + ": say something"), samples));
        }
        return out;
    }
}
