package srg.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import srg.chat.Completion;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.model.ForwardInputs;
import srg.engine.model.KvCache;
import srg.engine.model.ModelConfig;
import srg.engine.model.Transformer;

/**
 * Batched sampling with a KV cache. Requests are packed into batches of at most
 * {@code maxBatch} samples; each distinct prompt is prefilled once and its cache fanned out to
 * its n samples; finished samples are dropped from the batch as it shrinks.
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

    /** A part of a request: samples firstIndex..firstIndex+count-1 of one prompt. */
    private record Part(int request, int firstIndex, int count, long[] prompt, long seedKey) {}

    /**
     * A prompt already in tokens: samples {@code firstIndex .. firstIndex+count-1}, seeded by
     * {@code seedKey} (a hash of what the prompt is) and the sample index.
     */
    private record TokenRequest(long[] prompt, long seedKey, int firstIndex, int count) {}

    /** One sample being decoded. */
    private static final class Stream {
        final int request;
        final int sampleIndex;
        final int padLeft;
        final SplittableRandom rng;
        final List<Long> tokens = new ArrayList<>();
        FinishReason finish;
        String text;

        Stream(int request, int sampleIndex, int padLeft, long seed) {
            this.request = request;
            this.sampleIndex = sampleIndex;
            this.padLeft = padLeft;
            this.rng = new SplittableRandom(seed);
        }
    }

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
        ModelConfig config = model.transformer().config();
        Completion[][] results = new Completion[requests.size()][];
        List<Part> parts = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            TokenRequest req = requests.get(r);
            results[r] = new Completion[req.count()];
            long[] prompt = req.prompt();
            if (prompt.length == 0 || prompt.length + params.maxTokens() > config.maxPositions()) {
                String why = prompt.length == 0 ? "the prompt is empty after templating"
                        : "prompt of " + prompt.length + " tokens + max tokens " + params.maxTokens()
                                + " exceeds the model's context of " + config.maxPositions();
                Arrays.fill(results[r], Completion.error(why));
                continue;
            }
            for (int first = 0; first < req.count(); first += options.maxBatch()) {
                int count = Math.min(options.maxBatch(), req.count() - first);
                parts.add(new Part(r, req.firstIndex() + first, count, prompt, req.seedKey()));
            }
        }
        // Similar lengths together keep left padding (wasted prefill) small.
        parts.sort(Comparator.comparingInt((Part p) -> p.prompt().length));
        List<Part> batch = new ArrayList<>();
        int samples = 0;
        for (Part p : parts) {
            if (samples + p.count() > options.maxBatch() && !batch.isEmpty()) {
                decodeBatch(batch, requests, params, results, listener);
                batch.clear();
                samples = 0;
            }
            batch.add(p);
            samples += p.count();
        }
        if (!batch.isEmpty()) {
            decodeBatch(batch, requests, params, results, listener);
        }
        List<List<Completion>> out = new ArrayList<>();
        for (Completion[] r : results) {
            out.add(List.of(r));
        }
        return out;
    }

    private void decodeBatch(List<Part> parts, List<TokenRequest> requests, SamplingParams params,
            Completion[][] results, GenerationListener listener) {
        Transformer transformer = model.transformer();
        ModelConfig config = transformer.config();
        int longest = parts.stream().mapToInt(p -> p.prompt().length).max().orElseThrow();
        int[] promptPad = new int[parts.size()];
        long[] tokens = new long[parts.size() * longest];
        List<Stream> streams = new ArrayList<>();
        List<Long> fanOut = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            promptPad[i] = longest - p.prompt().length;
            System.arraycopy(p.prompt(), 0, tokens, i * longest + promptPad[i], p.prompt().length);
            for (int s = 0; s < p.count(); s++) {
                int index = p.firstIndex() + s;
                long seed = StreamSeeds.of(params.seed(), p.seedKey(), index);
                streams.add(new Stream(p.request(), index, promptPad[i], seed));
                fanOut.add((long) i);
            }
        }
        TokenSampler sampler = new TokenSampler(params);
        StopChecker stops = new StopChecker(model.tokenizer(), params.stop(), model.endTokens());
        try (NDManager scope = transformer.manager().newSubManager();
                KvCache cache = new KvCache(scope, config, parts.size(), longest + params.maxTokens())) {
            long[] next;
            long started = System.nanoTime();
            try (NDManager step = scope.newSubManager()) {
                NDArray input = step.create(tokens, new Shape(parts.size(), longest));
                ForwardInputs in = ForwardInputs.build(step, transformer, promptPad, 0, longest);
                NDArray hidden = transformer.forward(input, in, cache, null, null);
                NDArray logits = transformer.logits(hidden.get(new NDIndex(":, -1, :")));
                long[] rows = fanOut.stream().mapToLong(Long::longValue).toArray();
                cache.selectRows(rows);
                next = sampler.choose(logits.get(step.create(rows)), rngs(streams));
            }
            listener.prefilled(parts.stream().mapToInt(p -> p.prompt().length).sum(), streams.size(),
                    System.nanoTime() - started);
            List<Stream> active = new ArrayList<>(streams);
            while (true) {
                List<Stream> still = new ArrayList<>(active.size());
                for (int b = 0; b < active.size(); b++) {
                    Stream s = active.get(b);
                    if (stops.accept(s, next[b], params.maxTokens())) {
                        still.add(s);
                    } else {
                        listener.sampleFinished();
                    }
                }
                if (still.isEmpty()) {
                    break;
                }
                long[] lastTokens = new long[still.size()];
                if (still.size() < active.size()) {
                    long[] keep = new long[still.size()];
                    for (int i = 0, j = 0; i < active.size(); i++) {
                        if (active.get(i).finish == null) {
                            keep[j] = i;
                            lastTokens[j++] = next[i];
                        }
                    }
                    cache.selectRows(keep);
                } else {
                    lastTokens = next;
                }
                active = still;
                started = System.nanoTime();
                try (NDManager step = scope.newSubManager()) {
                    int[] pads = active.stream().mapToInt(s -> s.padLeft).toArray();
                    NDArray input = step.create(lastTokens, new Shape(active.size(), 1));
                    ForwardInputs in = ForwardInputs.build(step, transformer, pads, cache.length(), 1);
                    NDArray hidden = transformer.forward(input, in, cache, null, null);
                    NDArray logits = transformer.logits(hidden.reshape(active.size(), config.hiddenSize()));
                    next = sampler.choose(logits, rngs(active));
                }
                listener.decoded(active.size(), System.nanoTime() - started);
            }
        }
        for (Stream s : streams) {
            int promptLength = parts.stream().filter(p -> p.request() == s.request).findFirst().orElseThrow().prompt().length;
            results[s.request][s.sampleIndex - requests.get(s.request).firstIndex()] =
                    Completion.of(s.text, s.finish, promptLength, s.tokens.size());
        }
    }

    private static SplittableRandom[] rngs(List<Stream> streams) {
        SplittableRandom[] out = new SplittableRandom[streams.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = streams.get(i).rng;
        }
        return out;
    }

    /** Decides when a stream ends (end token, stop string, max tokens) and finalises its text. */
    private static final class StopChecker {
        private final srg.engine.tokenizer.Tokenizer tokenizer;
        private final List<String> stops;
        private final Set<Long> endTokens;

        StopChecker(srg.engine.tokenizer.Tokenizer tokenizer, List<String> stops, Set<Long> endTokens) {
            this.tokenizer = tokenizer;
            this.stops = stops;
            this.endTokens = endTokens;
        }

        /** Adds the token to the stream; returns whether the stream goes on. */
        boolean accept(Stream s, long token, int maxTokens) {
            if (endTokens.contains(token)) {
                s.text = decode(s);
                s.tokens.add(token);
                s.finish = FinishReason.STOP;
                return false;
            }
            s.tokens.add(token);
            if (!stops.isEmpty()) {
                String text = decode(s);
                int cut = -1;
                for (String stop : stops) {
                    int at = text.indexOf(stop);
                    if (at >= 0 && (cut < 0 || at < cut)) {
                        cut = at;
                    }
                }
                if (cut >= 0) {
                    s.text = text.substring(0, cut);
                    s.finish = FinishReason.STOP;
                    return false;
                }
            }
            if (s.tokens.size() >= maxTokens) {
                s.text = decode(s);
                s.finish = FinishReason.LENGTH;
                return false;
            }
            return true;
        }

        private String decode(Stream s) {
            long[] ids = new long[s.tokens.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.tokens.get(i);
            }
            return tokenizer.decode(ids);
        }
    }
}
