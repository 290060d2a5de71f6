package srg.engine.generate;

/** Hears what the generator does, for progress displays and benchmarks. */
public interface GenerationListener {

    GenerationListener NONE = new GenerationListener() { };

    /**
     * A batch's prompts were prefilled ({@code promptTokens}, padding excluded) and the first
     * token of each of its {@code samples} samples drawn.
     */
    default void prefilled(int promptTokens, int samples, long nanos) { }

    /** A decode step produced {@code tokens} more tokens (one per live sample). */
    default void decoded(int tokens, long nanos) { }

    /** A sample finished. */
    default void sampleFinished() { }
}
