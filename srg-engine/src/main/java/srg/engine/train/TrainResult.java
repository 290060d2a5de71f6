package srg.engine.train;

/**
 * How a training run ended.
 *
 * @param steps optimizer steps done (of {@code totalSteps})
 * @param loss mean training loss of the last step
 * @param evalLoss held-out loss at the end, or NaN without eval data
 * @param interrupted stopped early on request (Ctrl-C); a checkpoint was saved
 */
public record TrainResult(int steps, int totalSteps, double loss, double evalLoss, long tokens, double seconds,
        boolean interrupted) {

    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
