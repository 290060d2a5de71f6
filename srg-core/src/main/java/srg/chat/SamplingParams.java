package srg.chat;

import java.util.List;
import java.util.Objects;
import srg.SettingError;

/**
 * How to sample a response. The same fields as the OpenAI chat-completions request, so that an
 * in-process model and an HTTP server get the same settings.
 *
 * @param temperature 0 means greedy decoding
 * @param topP nucleus sampling mass in (0, 1]; 1 disables it
 * @param topK keep only the k most likely tokens; 0 disables it
 * @param maxTokens the most new tokens per sample
 * @param stop strings that end a sample; the stop string itself is not part of the text
 * @param seed base seed; sample {@code i} of a conversation uses a seed derived from this, the
 *     conversation and {@code i}, so results do not depend on batching
 */
public record SamplingParams(
        double temperature, double topP, int topK, int maxTokens, List<String> stop, long seed) {

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be >= 1, got " + maxTokens);
        }
        stop = List.copyOf(Objects.requireNonNullElse(stop, List.of()));
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /**
     * Sampling settings as a user gives them (flags, a study file): a bad value is a
     * {@link SettingError} naming {@code temperature}, {@code top_p}, {@code top_k},
     * {@code max_tokens} or {@code stop}.
     */
    public static SamplingParams checked(double temperature, double topP, int topK, int maxTokens, List<String> stop, long seed) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw SettingError.of("temperature", "must be >= 0 (0 means greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw SettingError.of("top_p", "must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw SettingError.of("top_k", "must be >= 0 (0 disables it), got " + topK);
        }
        if (maxTokens < 1) {
            throw SettingError.of("max_tokens", "must be >= 1, got " + maxTokens);
        }
        if (stop != null && stop.stream().anyMatch(String::isEmpty)) {
            throw SettingError.of("stop", "stop strings must not be empty");
        }
        return new SamplingParams(temperature, topP, topK, maxTokens, stop, seed);
    }

    /** Greedy decoding. */
    public static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(0, 1, 0, maxTokens, List.of(), 0);
    }

    /** Plain temperature sampling. */
    public static SamplingParams of(double temperature, int maxTokens, long seed) {
        return new SamplingParams(temperature, 1, 0, maxTokens, List.of(), seed);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(temperature, topP, topK, maxTokens, stop, newSeed);
    }

    public SamplingParams withMaxTokens(int newMaxTokens) {
        return new SamplingParams(temperature, topP, topK, newMaxTokens, stop, seed);
    }

    public SamplingParams withStop(List<String> newStop) {
        return new SamplingParams(temperature, topP, topK, maxTokens, newStop, seed);
    }

    /** A canonical text form, used as part of sample keys in the run store. */
    public String key() {
        return "t=" + temperature + ",p=" + topP + ",k=" + topK + ",max=" + maxTokens
                + ",seed=" + seed + ",stop=" + stop;
    }
}
