package srg.engine.train;

/**
 * Linear warmup from near zero to the peak rate, then cosine decay towards zero over the
 * remaining steps. Step indices are 0-based; the first step already trains (rate peak/warmup).
 */
public record LrSchedule(double peak, int warmupSteps, int totalSteps) {

    public static LrSchedule of(TrainConfig config, int totalSteps) {
        return new LrSchedule(config.learningRate(), (int) Math.ceil(config.warmupRatio() * totalSteps), totalSteps);
    }

    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
