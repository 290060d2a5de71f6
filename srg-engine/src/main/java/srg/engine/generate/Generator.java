package srg.engine.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;

/**
 * Samples a list of requests to the end, in batches of at most {@code maxBatch} samples, through
 * a {@link BatchScheduler}: each distinct prompt is prefilled once and its cache fanned out to its
 * n samples, finished samples leave the batch and waiting prompts take their places.
 */
public final class Generator {

    /** @param maxBatch most samples decoded together */
    public record Options(int maxBatch) {
        public static final Options DEFAULT = new Options(32);

        public Options {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be >= 1");
            }
        }
    }

    private final LocalModel model;
    private final Options options;

    public Generator(LocalModel model, Options options) {
        this.model = model;
        this.options = options;
    }

    /**
     * A prompt already in tokens: samples {@code firstIndex .. firstIndex+count-1}, seeded by
     * {@code seedKey} (a hash of what the prompt is) and the sample index.
     */
    private record TokenRequest(long[] prompt, long seedKey, int firstIndex, int count) {}

    public List<List<Completion>> generate(List<SampleRequest> requests, SamplingParams params) {
        return generate(requests, params, GenerationListener.NONE);
    }

    /** Samples every request, telling {@code listener} about prefills, decode steps and finished samples. */
    public List<List<Completion>> generate(List<SampleRequest> requests, SamplingParams params,
            GenerationListener listener) {
        List<TokenRequest> tokens = new ArrayList<>(requests.size());
        for (SampleRequest r : requests) {
            tokens.add(new TokenRequest(model.promptTokens(r.conversation()), StreamSeeds.key(r.conversation()),
                    r.firstIndex(), r.count()));
        }
        return generateTokens(tokens, params, listener);
    }

    /**
     * Continues raw text, with no chat template: {@code n} samples of each prompt. For base-model
     * probes such as "TEXT in plain words :".
     */
    public List<List<Completion>> complete(List<String> prompts, SamplingParams params, int n) {
        List<TokenRequest> tokens = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            tokens.add(new TokenRequest(model.tokenizer().encode(p), StreamSeeds.key(p), 0, n));
        }
        return generateTokens(tokens, params, GenerationListener.NONE);
    }

    private List<List<Completion>> generateTokens(List<TokenRequest> requests, SamplingParams params,
            GenerationListener listener) {
        Completion[][] results = new Completion[requests.size()][];
        Integer[] order = new Integer[requests.size()];
        for (int r = 0; r < order.length; r++) {
            results[r] = new Completion[requests.get(r).count()];
            order[r] = r;
        }
        // Similar lengths together keep left padding (wasted prefill) small.
        Arrays.sort(order, Comparator.comparingInt(r -> requests.get(r).prompt().length));
        try (BatchScheduler scheduler = new BatchScheduler(model, options.maxBatch(), listener)) {
            for (int r : order) {
                TokenRequest req = requests.get(r);
                Completion[] into = results[r];
                scheduler.submit(new SampleJob(req.prompt(), req.seedKey(), req.firstIndex(), req.count(), params,
                        SampleJob.NO_LOGPROBS, false, (sample, completion, tail) -> into[sample - req.firstIndex()] = completion));
            }
            while (scheduler.step()) {
                // each step admits what fits and decodes one token for every sample in the batch
            }
        }
        List<List<Completion>> out = new ArrayList<>();
        for (Completion[] r : results) {
            out.add(List.of(r));
        }
        return out;
    }
}
