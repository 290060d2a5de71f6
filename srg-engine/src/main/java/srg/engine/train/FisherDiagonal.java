package srg.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import srg.engine.model.Transformer;

/**
 * The diagonal of the empirical Fisher information of a model's weights on a text: the mean, over
 * batches, of each weight's squared gradient of the batch's mean next-token loss. It is EWC's
 * measure of how much the model's fit to that text rests on each weight ({@link AnchorImportance#FISHER}).
 * Batch gradients rather than per-sequence ones keep it to one backward pass per batch; they
 * under-count the noise between sequences, which scales every weight alike after normalising.
 */
public final class FisherDiagonal {

    /** Enough batches for a stable estimate at a cost of seconds on the models srg pretrains itself. */
    static final int MAX_BATCHES = 64;

    private FisherDiagonal() {}

    /** How many of {@code available} sequences the measurement reads, in batches of {@code batchSize}. */
    public static int sequencesRead(int available, int batchSize) {
        return Math.min(available, MAX_BATCHES * batchSize);
    }

    /**
     * The importance of each of {@code parameters} (which must require gradients and hold none), in
     * their order, from the first {@link #MAX_BATCHES} batches of {@code text}; scaled so that its mean
     * over the elements of the {@link TrainableParameter#anchored} parameters is 1, and null for the
     * others. The arrays belong to {@code manager}; the parameters' gradients are left at zero.
     */
    static List<NDArray> of(Transformer model, List<TrainableParameter> parameters, List<TrainingExample> text,
            int batchSize, NDManager manager) {
        List<NDArray> sums = new ArrayList<>();
        for (TrainableParameter p : parameters) {
            sums.add(p.anchored() ? manager.zeros(p.array().getShape()) : null);
        }
        int batches = 0;
        for (int from = 0; from < text.size() && batches < MAX_BATCHES; from += batchSize) {
            MicroBatch batch = MicroBatch.of(text.subList(from, Math.min(text.size(), from + batchSize)), 0);
            if (batch.targetCount() == 0) {
                continue;
            }
            try (NDManager scope = model.manager().newSubManager()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray sum = TokenLoss.sum(model, null, batch, scope);
                    collector.backward(sum.div(scope.create((float) batch.targetCount())));
                }
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray weight = parameters.get(i).array();
                    NDArray grad = weight.getGradient();
                    grad.attach(scope);
                    if (sums.get(i) != null) {
                        NDArray squared = grad.square();
                        squared.attach(scope);
                        sums.get(i).addi(squared);
                    }
                    JniUtils.zeroGrad((PtNDArray) weight);
                }
            }
            batches++;
        }
        if (batches == 0) {
            throw new IllegalArgumentException("no text to measure the weights' importance on");
        }
        double total = 0;
        long count = 0;
        for (NDArray s : sums) {
            if (s != null) {
                try (NDArray t = s.sum()) {
                    total += t.getFloat();
                }
                count += s.size();
            }
        }
        double mean = total / count; // the batch count cancels here, so the sums are never divided by it
        if (!(mean > 0) || !Double.isFinite(mean)) {
            throw new IllegalStateException("the weights' importance on the text is " + mean + " on average");
        }
        for (NDArray s : sums) {
            if (s != null) {
                s.divi((float) mean);
            }
        }
        return sums;
    }
}
