package srg.engine.train;

/**
 * How a training run ended.
 *
 * @param steps optimizer steps done (of {@code totalSteps})
 * @param loss mean training loss of the last step
 * @param evalLoss held-out loss of the weights the model holds, or NaN without eval data
 * @param keptStep the step whose weights the model holds: {@code steps}, or with early stopping
 *     the step of the best held-out loss
 * @param stoppedEarly early stopping ended the run before {@code totalSteps}
 * @param interrupted stopped early on request (Ctrl-C); a checkpoint was saved
 */
public record TrainResult(int steps, int totalSteps, double loss, double evalLoss, int keptStep, boolean stoppedEarly,
        long tokens, double seconds, boolean interrupted) {

    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
