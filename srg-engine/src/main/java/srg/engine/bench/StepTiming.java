package srg.engine.bench;

import java.util.concurrent.atomic.AtomicLong;
import srg.engine.generate.GenerationListener;

/**
 * The generator's prefill and decode steps, timed: what decode tokens per second are made of
 * (tokens of decode steps over the time of decode steps). Safe to hear from a scheduler's thread.
 */
public final class StepTiming implements GenerationListener {

    private final AtomicLong prefillNanos = new AtomicLong();
    private final AtomicLong decodeNanos = new AtomicLong();
    private final AtomicLong decodeTokens = new AtomicLong();

    @Override
    public void prefilled(int promptTokens, int samples, long nanos) {
        prefillNanos.addAndGet(nanos);
    }

    @Override
    public void decoded(int tokens, long nanos) {
        decodeTokens.addAndGet(tokens);
        decodeNanos.addAndGet(nanos);
    }

    public double prefillSeconds() {
        return prefillNanos.get() / 1e9;
    }

    public double decodeSeconds() {
        return decodeNanos.get() / 1e9;
    }

    public long decodeTokens() {
        return decodeTokens.get();
    }

    /** Decode tokens per second of decode steps. */
    public double decodeTokensPerSecond() {
        return decodeTokens() / decodeSeconds();
    }
}
