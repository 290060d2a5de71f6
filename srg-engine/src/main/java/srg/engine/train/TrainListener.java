package srg.engine.train;

import java.nio.file.Path;

/** Hears about a training run's progress (the CLI draws its progress bar from these). */
public interface TrainListener {

    TrainListener NONE = new TrainListener() {};

    /** Training begins (or resumes) at {@code firstStep} of {@code totalSteps}. */
    default void started(int firstStep, int totalSteps) {}

    default void stepped(StepMetrics metrics) {}

    default void evaluated(int step, double evalLoss) {}

    default void checkpointed(int step, Path folder) {}

    /**
     * One optimizer step.
     *
     * @param step 1-based number of steps done
     * @param loss mean cross-entropy per target token over the step's examples
     * @param gradNorm global gradient norm before clipping
     * @param tokens real tokens (without padding) in this step
     * @param tokensPerSecond throughput of this step
     */
    record StepMetrics(int step, int totalSteps, int epoch, double loss, double lr, double gradNorm, long tokens,
            double tokensPerSecond, double elapsedSeconds) {}
}
