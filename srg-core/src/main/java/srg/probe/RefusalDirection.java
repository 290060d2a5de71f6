package srg.probe;

import org.ejml.data.DMatrixRMaj;

/**
 * The refusal direction at one layer: the difference in means {@code r = mean(ID harmful) -
 * mean(ID benign)} of the raw hidden states (Arditi et al., 2024).
 *
 * <p>A set's <em>mean shift</em> is measured from the ID benign mean, the origin of {@code r}:
 * {@code s = mean(set) - mean(ID benign)}. Then {@link Alignment#cosine()} says whether the set
 * moves the way harmful requests do, and {@link Alignment#projection()} how far along {@code r}
 * it gets (0 = where benign prompts sit, 1 = where ID harmful prompts sit). Disguised harmful
 * requests that a refusal-trained model fails on are expected to have a small projection.
 */
public final class RefusalDirection {

    private final double[] benignMean;
    private final double[] direction;
    private final double norm;

    private RefusalDirection(double[] benignMean, double[] direction) {
        this.benignMean = benignMean;
        this.direction = direction;
        this.norm = Math.sqrt(Samples.dot(direction, direction));
    }

    public static RefusalDirection fit(DMatrixRMaj idHarmful, DMatrixRMaj idBenign) {
        double[] harmfulMean = Samples.mean(idHarmful);
        double[] benignMean = Samples.mean(idBenign);
        return new RefusalDirection(benignMean, Samples.minus(harmfulMean, benignMean));
    }

    /**
     * How a set's mean shift lines up with the direction.
     *
     * @param cosine cosine between the shift and {@code r}; 0 when either is zero
     * @param projection {@code s . r / ||r||^2}; 0 when {@code r} is zero
     */
    public record Alignment(double cosine, double projection) {}

    public Alignment alignment(DMatrixRMaj set) {
        double[] shift = Samples.minus(Samples.mean(set), benignMean);
        double dot = Samples.dot(shift, direction);
        double shiftNorm = Math.sqrt(Samples.dot(shift, shift));
        double cosine = norm > 0 && shiftNorm > 0 ? dot / (norm * shiftNorm) : 0;
        double projection = norm > 0 ? dot / (norm * norm) : 0;
        return new Alignment(cosine, projection);
    }

    /** {@code ||r||}, the distance between the ID harmful and ID benign means. */
    public double norm() {
        return norm;
    }

    public double[] direction() {
        return direction.clone();
    }
}
