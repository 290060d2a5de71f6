package srg.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import srg.engine.LocalModel;
import srg.engine.generate.GenerationListener;

/**
 * The models a server serves, by name. Their names are known at once; their weights load one
 * after another on a background thread, so the server can answer (503 for a model still
 * loading, 404 for a name it does not serve) while a large checkpoint is read.
 */
public final class ServedModels implements AutoCloseable {

    /** A model to serve: its name and how to load it. */
    public record Entry(String name, Callable<LocalModel> loader) {}

    private final Map<String, CompletableFuture<ServedModel>> models = new LinkedHashMap<>();
    private final CompletableFuture<Void> all;
    private volatile boolean closed;

    private final Thread loader;

    /**
     * The models to serve; {@link #load} starts loading them in order. {@code maxBatch} and
     * {@code listener} go to each model's scheduler; {@code log} takes a line when a model starts
     * loading, is ready, or its engine fails a batch (the command line prints them on stderr).
     */
    public ServedModels(List<Entry> entries, int maxBatch, GenerationListener listener, Consumer<String> log) {
        List<CompletableFuture<ServedModel>> futures = new ArrayList<>();
        for (Entry e : entries) {
            if (models.containsKey(e.name())) {
                throw new IllegalArgumentException("two models named " + e.name());
            }
            CompletableFuture<ServedModel> f = new CompletableFuture<>();
            models.put(e.name(), f);
            futures.add(f);
        }
        all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        loader = new Thread(() -> {
            for (Entry e : entries) {
                CompletableFuture<ServedModel> f = models.get(e.name());
                try {
                    long start = System.nanoTime();
                    log.accept("loading " + e.name() + " ...");
                    LocalModel model = e.loader().call();
                    if (closed) {
                        model.close();
                        return;
                    }
                    f.complete(new ServedModel(e.name(), model, maxBatch, listener, log));
                    log.accept(String.format(Locale.ROOT, "%s ready (%.1f s)", e.name(), (System.nanoTime() - start) / 1e9));
                } catch (Exception | Error ex) {
                    f.completeExceptionally(ex);
                    // The rest are not loaded: a server missing a model it was asked for must not look healthy.
                    models.values().forEach(other -> other.completeExceptionally(ex));
                    return;
                }
            }
        }, "srg-serve-loader");
        loader.setDaemon(true);
    }

    /** Starts loading the models in the background (once the server is listening, so that it can answer 503). */
    public void load() {
        loader.start();
    }

    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    /** Completes when every model is loaded, or exceptionally with the first load failure. */
    public CompletableFuture<Void> ready() {
        return all;
    }

    /** The loaded model; 404 for a name not served, 503 while it loads. */
    ServedModel get(String name) {
        CompletableFuture<ServedModel> f = models.get(name);
        if (f == null) {
            throw ApiError.unknownModel(name, models.keySet());
        }
        if (!f.isDone()) {
            throw ApiError.unavailable("model_loading", "model '" + name + "' is still loading; retry shortly");
        }
        if (f.isCompletedExceptionally()) {
            throw ApiError.unavailable("model_failed", "model '" + name + "' failed to load");
        }
        return f.join();
    }

    /** The models loaded so far. */
    List<ServedModel> loaded() {
        List<ServedModel> out = new ArrayList<>();
        for (CompletableFuture<ServedModel> f : models.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.add(f.join());
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        loaded().forEach(ServedModel::close);
    }
}
