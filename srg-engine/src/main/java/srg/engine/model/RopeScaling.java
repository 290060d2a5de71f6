package srg.engine.model;

/**
 * The {@code rope_scaling} block of config.json. Supported: none, {@code linear} and Llama 3.1's
 * {@code llama3} (frequency-dependent interpolation).
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    public static final RopeScaling NONE = new RopeScaling("default", 1, 1, 1, 0);

    /**
     * The rotary inverse frequencies for a head of {@code headDim}, as Hugging Face computes them.
     */
    public double[] inverseFrequencies(int headDim, double theta) {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        switch (type) {
            case "default" -> { }
            case "linear" -> {
                for (int i = 0; i < half; i++) {
                    inv[i] /= factor;
                }
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositions / lowFreqFactor;
                double highWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < half; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen < highWavelen) {
                        continue; // high frequencies: unchanged
                    }
                    if (wavelen > lowWavelen) {
                        inv[i] /= factor; // low frequencies: fully interpolated
                    } else {
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor)
                                / (highFreqFactor - lowFreqFactor);
                        inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                    }
                }
            }
            default -> throw new IllegalStateException("unsupported rope scaling " + type);
        }
        return inv;
    }
}
