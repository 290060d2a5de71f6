package srg.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.model.ForwardInputs;
import srg.engine.model.KvCache;
import srg.engine.model.ModelConfig;
import srg.engine.model.Transformer;

/**
 * Continuous batching: one batch of samples decoded a token at a time, which jobs join at the
 * next step and finished samples leave at once.
 *
 * <p>Each {@link #step} first admits waiting jobs, first come first served, while their samples
 * fit in the batch (a job with more samples than the batch holds is cut into parts). The admitted
 * prompts are prefilled together, each distinct prompt once however many samples and jobs share
 * it, and its cache is fanned out to its samples. The new rows then join the running batch's KV
 * cache, right-aligned so that every row writes its next token to the same slot (the shorter side
 * gets left padding, which the attention mask hides). Then every row decodes one token. Padding
 * that no remaining row needs is dropped whenever the cache is copied anyway.
 *
 * <p>A finished sample leaves the batch at once, but its row of the KV cache is vacated rather
 * than cut out: removing a row copies the whole cache, and in a large batch some sample finishes
 * at nearly every step. Vacated rows are fed a token and ignored, and are cut out together once
 * they are a quarter of the rows, or when the cache is copied anyway (new rows join, it grows).
 *
 * <p>Every sample draws from its own random stream (see {@link SampleJob}), so batching, joining
 * and leaving never change what a sample says.
 *
 * <p>{@link #submit} and {@link #cancel} may be called from any thread; {@link #step} from one
 * thread at a time, which is also where sinks hear their events.
 */
public final class BatchScheduler implements AutoCloseable {

    /** Positions the KV cache grows by at once (or less, when no row can need more). */
    private static final int GROWTH = 256;

    private final Transformer transformer;
    private final ModelConfig config;
    private final int maxBatch;
    private final GenerationListener listener;
    private final StopChecker stops;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final ArrayDeque<Part> waiting = new ArrayDeque<>();
    /** Guarded by lock: cancelled jobs and why. */
    private final Map<SampleJob, String> cancelled = new IdentityHashMap<>();

    /**
     * The KV cache's rows, vacated ones included (stepping thread only). Not empty only while some
     * row is live: a batch whose last live row finishes is cleared.
     */
    private final List<Sequence> rows = new ArrayList<>();
    /** How many of {@link #rows} are vacated. */
    private int vacated;
    private KvCache cache;

    /** Vacated rows are cut out once they are this share (1/n) of the batch. */
    private static final int COMPACT_AT_ONE_IN = 4;
    /** Waiting samples join a running batch once this share (1/n) of it is free. */
    private static final int ADMIT_AT_ONE_IN = 8;

    /** Samples {@code first .. first+count-1} of a job, admitted together. */
    private record Part(SampleJob job, int first, int count) {}

    public BatchScheduler(LocalModel model, int maxBatch, GenerationListener listener) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1");
        }
        this.transformer = model.transformer();
        this.config = transformer.config();
        this.maxBatch = maxBatch;
        this.listener = listener;
        this.stops = new StopChecker(model.tokenizer(), model.endTokens());
    }

    /**
     * Queues a job. A prompt that is empty or too long for the model's context with its max
     * tokens finishes at once, here, as error completions.
     */
    public void submit(SampleJob job) {
        long[] prompt = job.prompt();
        int maxTokens = job.params().maxTokens();
        if (prompt.length == 0 || prompt.length + maxTokens > config.maxPositions()) {
            String why = prompt.length == 0 ? "the prompt is empty after templating"
                    : "prompt of " + prompt.length + " tokens + max tokens " + maxTokens
                            + " exceeds the model's context of " + config.maxPositions();
            for (int i = 0; i < job.count(); i++) {
                job.fail(job.firstIndex() + i, why);
            }
            return;
        }
        synchronized (lock) {
            for (int first = 0; first < job.count(); first += maxBatch) {
                waiting.add(new Part(job, job.firstIndex() + first, Math.min(maxBatch, job.count() - first)));
            }
            lock.notifyAll();
        }
    }

    /**
     * Ends a job's unfinished samples with an error saying {@code reason}, at the next step (a
     * client went away, the server is shutting down). Finished samples are not touched.
     */
    public void cancel(SampleJob job, String reason) {
        synchronized (lock) {
            cancelled.putIfAbsent(job, reason);
            lock.notifyAll();
        }
    }

    /** Jobs (or parts of jobs) waiting for room in the batch. */
    public int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Blocks until there is something to step, or {@code millis} have passed (the stepping thread only). */
    public void awaitWork(long millis) throws InterruptedException {
        synchronized (lock) {
            if (waiting.isEmpty() && rows.isEmpty() && cancelled.isEmpty()) {
                lock.wait(millis);
            }
        }
    }

    /**
     * Admits what fits, then decodes one token for every sample in the batch. Returns whether any
     * work is left (samples in the batch or jobs waiting).
     *
     * <p>If the engine fails, every sample in the batch ends with an error completion and the
     * exception propagates; waiting jobs stay queued.
     */
    public boolean step() {
        List<Part> admitted = new ArrayList<>();
        Map<SampleJob, String> cancels;
        List<Part> dropped = new ArrayList<>();
        synchronized (lock) {
            cancels = cancelled.isEmpty() ? Map.of() : new IdentityHashMap<>(cancelled);
            if (!cancels.isEmpty()) {
                waiting.removeIf(p -> cancels.containsKey(p.job()) && dropped.add(p));
            }
            int live = rows.size() - vacated;
            int free = maxBatch - live;
            // Joining a running batch copies its whole cache: wait for room for a share of the
            // batch at once, so that one copy serves many samples.
            boolean worthACopy = live == 0 || free * ADMIT_AT_ONE_IN >= maxBatch;
            while (worthACopy && !waiting.isEmpty() && waiting.peek().count() <= free) {
                Part p = waiting.poll();
                free -= p.count();
                admitted.add(p);
            }
        }
        for (Part p : dropped) {
            for (int i = 0; i < p.count(); i++) {
                p.job().fail(p.first() + i, cancels.get(p.job()));
            }
        }
        List<Sequence> fresh = new ArrayList<>();
        for (Part p : admitted) {
            for (int i = 0; i < p.count(); i++) {
                fresh.add(new Sequence(p.job(), p.first() + i, 0));
            }
        }
        try {
            if (!cancels.isEmpty()) {
                leave(rows.stream().filter(s -> !s.vacated && cancels.containsKey(s.job)).toList(), cancels);
            }
            if (!fresh.isEmpty()) {
                admit(fresh);
            }
            if (!rows.isEmpty()) {
                decode();
            }
        } catch (RuntimeException | Error e) {
            List<Sequence> lost = new ArrayList<>(rows.stream().filter(s -> !s.vacated).toList());
            fresh.stream().filter(s -> s.finish == null && !rows.contains(s)).forEach(lost::add);
            String why = "engine error: " + e;
            lost.forEach(s -> s.job.fail(s.sample, why));
            clearRows();
            throw e;
        }
        synchronized (lock) {
            if (!cancels.isEmpty()) {
                // A job's cancellation is spent once none of its samples is left anywhere.
                Set<SampleJob> live = Collections.newSetFromMap(new IdentityHashMap<>());
                rows.stream().filter(s -> !s.vacated).forEach(s -> live.add(s.job));
                waiting.forEach(p -> live.add(p.job()));
                cancelled.keySet().removeIf(j -> cancels.containsKey(j) && !live.contains(j));
            }
            return !rows.isEmpty() || !waiting.isEmpty();
        }
    }

    /** Prefills newly admitted samples, draws their first tokens and joins the survivors to the batch. */
    private void admit(List<Sequence> fresh) {
        // Each distinct prompt once, however many samples and jobs share it.
        Map<PromptKey, Integer> unique = new HashMap<>();
        List<long[]> prompts = new ArrayList<>();
        List<Long> fanOut = new ArrayList<>();
        for (Sequence s : fresh) {
            long[] prompt = s.job.prompt();
            int u = unique.computeIfAbsent(new PromptKey(prompt), k -> {
                prompts.add(prompt);
                return prompts.size() - 1;
            });
            fanOut.add((long) u);
        }
        int longest = prompts.stream().mapToInt(t -> t.length).max().orElseThrow();
        int[] pads = new int[prompts.size()];
        long[] tokens = new long[prompts.size() * longest];
        int promptTokens = 0;
        for (int u = 0; u < prompts.size(); u++) {
            long[] prompt = prompts.get(u);
            pads[u] = longest - prompt.length;
            promptTokens += prompt.length;
            System.arraycopy(prompt, 0, tokens, u * longest + pads[u], prompt.length);
        }
        for (int i = 0; i < fresh.size(); i++) {
            fresh.get(i).padLeft = pads[fanOut.get(i).intValue()];
        }
        long started = System.nanoTime();
        int headroom = Math.min(GROWTH, fresh.stream().mapToInt(s -> s.job.params().maxTokens()).max().orElseThrow());
        // Alone in the batch, the prefill's cache becomes the batch's: give it room to decode in.
        KvCache prefilled = KvCache.unfilled(transformer.manager(), config, prompts.size(),
                rows.isEmpty() ? longest + headroom : longest);
        try {
            long[] first;
            TokenLogprobs[] logprobs;
            try (NDManager step = transformer.manager().newSubManager()) {
                NDArray input = step.create(tokens, new Shape(prompts.size(), longest));
                ForwardInputs in = ForwardInputs.build(step, transformer, pads, 0, longest);
                NDArray hidden = transformer.forward(input, in, prefilled, null, null);
                NDArray logits = transformer.logits(hidden.get(new NDIndex(":, -1, :")));
                long[] rowsOf = fanOut.stream().mapToLong(Long::longValue).toArray();
                prefilled.selectRows(rowsOf);
                NDArray fanned = logits.get(step.create(rowsOf));
                first = draw(fanned, fresh);
                logprobs = TokenLogprobs.of(fanned, fresh, first);
            }
            listener.prefilled(promptTokens, fresh.size(), System.nanoTime() - started);
            long[] keep = accept(fresh, first, logprobs);
            List<Sequence> joining = new ArrayList<>(keep.length);
            for (long k : keep) {
                joining.add(fresh.get((int) k));
            }
            if (joining.isEmpty()) {
                return;
            }
            if (keep.length < fresh.size()) {
                prefilled.selectRows(keep);
            }
            KvCache joined = prefilled;
            prefilled = null; // from here on the batch's, or closed by join
            join(joined, joining);
        } finally {
            if (prefilled != null) {
                prefilled.close();
            }
        }
    }

    /** Adds prefilled rows to the batch: their cache becomes the batch's, or is merged into it. */
    private void join(KvCache prefilled, List<Sequence> joining) {
        if (cache == null) {
            cache = prefilled;
            rows.addAll(joining);
            return;
        }
        try {
            compact(); // the cache is copied anyway
            int length = Math.max(cache.length(), prefilled.length());
            for (Sequence s : rows) {
                s.padLeft += length - cache.length();
            }
            for (Sequence s : joining) {
                s.padLeft += length - prefilled.length();
            }
            rows.addAll(joining);
            int drop = rows.stream().mapToInt(s -> s.padLeft).min().orElseThrow();
            KvCache merged = KvCache.concat(transformer.manager(), config, cache, prefilled, drop,
                    length - drop + headroom());
            cache.close();
            cache = merged;
            rows.forEach(s -> s.padLeft -= drop);
        } finally {
            prefilled.close();
        }
    }

    /** Cache positions to allocate beyond the current length. */
    private int headroom() {
        return Math.min(GROWTH, rows.stream().filter(s -> !s.vacated).mapToInt(Sequence::remaining).max().orElse(1));
    }

    /** Feeds every row its pending token and draws the next. */
    private void decode() {
        if (cache.length() == cache.capacity()) {
            compact(); // the cache is copied anyway
            KvCache grown = KvCache.concat(transformer.manager(), config, cache, null, 0, cache.length() + headroom());
            cache.close();
            cache = grown;
        }
        long started = System.nanoTime();
        int batch = rows.size();
        long[] liveRows = vacated == 0 ? null : liveRows();
        List<Sequence> live = liveRows == null ? rows : rowsAt(liveRows);
        long[] next;
        TokenLogprobs[] logprobs;
        try (NDManager step = transformer.manager().newSubManager()) {
            long[] input = new long[batch];
            int[] pads = new int[batch];
            for (int b = 0; b < batch; b++) {
                input[b] = rows.get(b).pending; // a vacated row repeats its last token
                pads[b] = rows.get(b).padLeft;
            }
            NDArray tokens = step.create(input, new Shape(batch, 1));
            ForwardInputs in = ForwardInputs.build(step, transformer, pads, cache.length(), 1);
            NDArray hidden = transformer.forward(tokens, in, cache, null, null);
            NDArray logits = transformer.logits(hidden.reshape(batch, config.hiddenSize())); // [B, V]
            NDArray drawn = liveRows == null ? logits : logits.get(step.create(liveRows)); // [live, V]
            next = draw(drawn, live);
            logprobs = TokenLogprobs.of(drawn, live, next);
        }
        listener.decoded(live.size(), System.nanoTime() - started);
        long[] keep = accept(live, next, logprobs);
        if (keep.length == live.size()) {
            return;
        }
        int k = 0;
        for (int b = 0; b < live.size(); b++) {
            if (k < keep.length && keep[k] == b) {
                k++;
            } else {
                live.get(b).vacated = true;
                vacated++;
            }
        }
        if (vacated * COMPACT_AT_ONE_IN >= rows.size()) {
            compact();
        }
    }

    /** Cuts the vacated rows out of the batch and its cache, and padding no live row needs. */
    private void compact() {
        if (vacated == 0) {
            return;
        }
        long[] keep = liveRows();
        List<Sequence> still = rowsAt(keep);
        rows.clear();
        rows.addAll(still);
        vacated = 0;
        if (rows.isEmpty()) {
            closeCache();
            return;
        }
        int drop = rows.stream().mapToInt(s -> s.padLeft).min().orElseThrow();
        cache.selectRows(keep, drop);
        rows.forEach(s -> s.padLeft -= drop);
    }

    /** The indices of the rows not vacated, in order. */
    private long[] liveRows() {
        long[] live = new long[rows.size() - vacated];
        int n = 0;
        for (int b = 0; b < rows.size(); b++) {
            if (!rows.get(b).vacated) {
                live[n++] = b;
            }
        }
        return live;
    }

    private List<Sequence> rowsAt(long[] indices) {
        List<Sequence> out = new ArrayList<>(indices.length);
        for (long b : indices) {
            out.add(rows.get((int) b));
        }
        return out;
    }

    /** Removes rows (cancelled jobs), ending each with an error. */
    private void leave(List<Sequence> leaving, Map<SampleJob, String> why) {
        if (leaving.isEmpty()) {
            return;
        }
        for (Sequence s : leaving) {
            s.job.fail(s.sample, why.get(s.job));
            s.vacated = true;
        }
        vacated += leaving.size();
        compact();
    }

    /**
     * Gives each sample its drawn token; returns the indices of those that go on. Finished samples
     * are reported to their sinks.
     */
    private long[] accept(List<Sequence> samples, long[] drawn, TokenLogprobs[] logprobs) {
        long[] keep = new long[samples.size()];
        int kept = 0;
        for (int b = 0; b < samples.size(); b++) {
            Sequence s = samples.get(b);
            boolean goesOn = stops.accept(s, drawn[b]);
            if (s.finish == null || !stops.isEnd(drawn[b])) {
                String delta = !s.job.textDeltas() ? null : goesOn ? StopChecker.delta(s) : StopChecker.lastDelta(s);
                s.job.sink().token(new TokenEvent(s.sample, drawn[b], delta, logprobs == null ? null : logprobs[b]));
            }
            if (goesOn) {
                s.pending = drawn[b];
                keep[kept++] = b;
            } else {
                listener.sampleFinished();
                s.job.sink().finished(s.sample, s.completion(), s.tail());
            }
        }
        return Arrays.copyOf(keep, kept);
    }

    private static long[] draw(NDArray logits, List<Sequence> samples) {
        int n = samples.size();
        SamplingParams[] params = new SamplingParams[n];
        SplittableRandom[] rngs = new SplittableRandom[n];
        for (int b = 0; b < n; b++) {
            params[b] = samples.get(b).job.params();
            rngs[b] = samples.get(b).rng;
        }
        return TokenSampler.choose(logits, params, rngs);
    }

    private void clearRows() {
        rows.clear();
        vacated = 0;
        closeCache();
    }

    private void closeCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    /** Ends every sample still in the batch with an error and frees the KV cache. */
    @Override
    public void close() {
        rows.stream().filter(s -> !s.vacated).forEach(s -> s.job.fail(s.sample, "the scheduler was closed"));
        clearRows();
    }

    /** A prompt's tokens, compared by content. */
    private record PromptKey(long[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PromptKey k && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }
}
