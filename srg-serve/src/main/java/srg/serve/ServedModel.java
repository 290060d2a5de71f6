package srg.serve;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.generate.BatchScheduler;
import srg.engine.generate.GenerationListener;
import srg.engine.generate.SampleJob;

/**
 * One model behind the server: its weights, its {@link BatchScheduler} and the thread that steps
 * the scheduler whenever there is work. Request threads render and tokenize prompts themselves
 * and hand jobs to the scheduler; only the stepping thread touches the KV cache.
 */
final class ServedModel implements AutoCloseable {

    final String name;
    final LocalModel model;
    private final BatchScheduler scheduler;
    private final Thread stepper;
    private final Consumer<String> log;
    private final Set<SampleJob> live = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private volatile boolean closed;

    ServedModel(String name, LocalModel model, int maxBatch, GenerationListener listener, Consumer<String> log) {
        this.name = name;
        this.model = model;
        this.log = log;
        this.scheduler = new BatchScheduler(model, maxBatch, listener);
        this.stepper = new Thread(this::stepWhileOpen, "srg-serve-" + name);
        stepper.setDaemon(true);
        stepper.start();
    }

    private void stepWhileOpen() {
        while (!closed) {
            try {
                if (!scheduler.step()) {
                    scheduler.awaitWork(1000);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // The scheduler has already ended the batch's samples with an error; keep serving.
                log.accept("model " + name + ": engine error, requests in the batch failed: " + e);
            }
        }
    }

    /** The prompt text, with the generation prompt, as the model's chat template renders it. */
    String render(Conversation conversation, Map<String, Object> templateKwargs) {
        return model.template().render(conversation, true, templateKwargs);
    }

    long[] tokens(String prompt) {
        return model.tokenizer().encode(prompt);
    }

    int contextLength() {
        return model.transformer().config().maxPositions();
    }

    /**
     * Queues the job unless {@code maxQueue} requests already wait for room in the batch; returns
     * whether it was queued.
     */
    synchronized boolean submit(SampleJob job, int maxQueue) {
        if (scheduler.waiting() >= maxQueue) {
            return false;
        }
        live.add(job);
        scheduler.submit(job);
        return true;
    }

    /** The request is over: its job no longer needs cancelling at shutdown. */
    void done(SampleJob job) {
        live.remove(job);
    }

    void cancel(SampleJob job, String reason) {
        scheduler.cancel(job, reason);
    }

    void cancelAll(String reason) {
        live.forEach(job -> scheduler.cancel(job, reason));
    }

    /** Stops stepping, ends what is left in the batch with an error and frees the model. */
    @Override
    public void close() {
        closed = true;
        stepper.interrupt();
        try {
            stepper.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.close();
        model.close();
    }
}
