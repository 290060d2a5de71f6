package srg.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay, Loshchilov and Hutter) with global-norm gradient clipping,
 * matching {@code torch.optim.AdamW}. The update itself runs in libtorch's fused Adam kernel, one
 * native call per tensor; the moments live here so that checkpoints can save and restore them.
 * With an anchor decay it also pulls every {@link TrainableParameter#anchored} weight back towards
 * its value when the optimizer was made (L2-SP in decoupled form; {@link TrainConfig#anchorDecay}).
 */
public final class AdamW implements AutoCloseable {

    private final List<TrainableParameter> parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double anchorDecay;
    private final NDManager manager;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final List<NDArray> anchors = new ArrayList<>(); // the starting weights, null where none is pulled
    private final List<NDArray> importance; // each pulled weight's share of the pull (mean 1); null: all alike

    /**
     * @param anchorDecay the pull towards the weights the parameters hold now, per unit of learning
     *     rate (0: none). Make the optimizer before restoring a checkpoint's weights, so that a resumed
     *     run keeps the anchors of the run it continues.
     */
    public AdamW(List<TrainableParameter> parameters, NDManager parent, double beta1, double beta2, double epsilon,
            double weightDecay, double anchorDecay) {
        this(parameters, parent, beta1, beta2, epsilon, weightDecay, anchorDecay, null);
    }

    /**
     * @param importance with an anchor decay, per parameter (in order) how hard each of its elements
     *     is pulled, as a multiple of {@code anchorDecay} ({@link FisherDiagonal}); null entries for the
     *     parameters not pulled. The optimizer takes the arrays over and closes them. Null: every
     *     pulled element alike.
     */
    public AdamW(List<TrainableParameter> parameters, NDManager parent, double beta1, double beta2, double epsilon,
            double weightDecay, double anchorDecay, List<NDArray> importance) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.anchorDecay = anchorDecay;
        this.manager = parent.newSubManager();
        if (importance != null) {
            if (importance.size() != parameters.size() || !(anchorDecay > 0)) {
                throw new IllegalArgumentException("importance needs an anchor decay and one entry per parameter");
            }
            importance.stream().filter(a -> a != null).forEach(a -> a.attach(manager));
            this.importance = new ArrayList<>(importance);
        } else {
            this.importance = null;
        }
        for (TrainableParameter p : parameters) {
            firstMoments.add(manager.zeros(p.array().getShape()));
            secondMoments.add(manager.zeros(p.array().getShape()));
            if (anchorDecay > 0 && !p.anchored()) {
                anchors.add(null);
            } else if (anchorDecay > 0) {
                try (NDArray detached = p.array().stopGradient()) { // a view: the copy below owns its values
                    NDArray start = detached.duplicate();
                    start.attach(manager);
                    anchors.add(start);
                }
            }
        }
    }

    public List<TrainableParameter> parameters() {
        return parameters;
    }

    public List<NDArray> firstMoments() {
        return firstMoments;
    }

    public List<NDArray> secondMoments() {
        return secondMoments;
    }

    /** The L2 norm of each parameter's gradient, in parameter order. */
    public float[] gradientNorms() {
        try (NDManager scope = manager.newSubManager()) {
            NDList norms = new NDList();
            for (TrainableParameter p : parameters) {
                NDArray grad = p.array().getGradient();
                grad.attach(scope);
                norms.add(grad.norm().reshape(1));
            }
            return NDArrays.concat(norms).toFloatArray();
        }
    }

    /** The L2 norm of all gradients together, from {@link #gradientNorms()}. */
    public static double globalNorm(float[] norms) {
        double sum = 0;
        for (float n : norms) {
            sum += (double) n * n;
        }
        return Math.sqrt(sum);
    }

    /**
     * Applies one update with learning rate {@code lr}, scaling the gradients by
     * {@code gradScale} (the clipping factor), then zeroes the gradients.
     *
     * @param step 1-based count of updates so far, including this one (for bias correction)
     */
    public void update(double lr, double gradScale, int step) {
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = Math.sqrt(1 - Math.pow(beta2, step));
        // libtorch's kernel computes w -= lr' m / (sqrt(v) + eps'); with lr' = lr √c2 / c1 and
        // eps' = eps √c2 this is torch.optim.AdamW's w -= lr/c1 · m / (sqrt(v)/√c2 + eps).
        float lrCorrected = (float) (lr * correction2 / correction1);
        float eps = (float) (epsilon * correction2);
        try (NDManager scope = manager.newSubManager()) {
            for (int i = 0; i < parameters.size(); i++) {
                TrainableParameter p = parameters.get(i);
                NDArray weight = p.array();
                NDArray grad = weight.getGradient();
                grad.attach(scope);
                weight.getNDArrayInternal().adamUpdate(
                        new NDList(weight, grad, firstMoments.get(i), secondMoments.get(i)), new NDList(weight),
                        (float) lr, lrCorrected, p.decay() ? (float) weightDecay : 0f, (float) gradScale, -1f,
                        (float) beta1, (float) beta2, eps, false, true);
                if (anchorDecay > 0 && anchors.get(i) != null) {
                    if (importance == null) {
                        pullTowardsAnchor(weight, anchors.get(i), (float) (lr * anchorDecay), scope);
                    } else {
                        pullTowardsAnchor(weight, anchors.get(i), importance.get(i), (float) (lr * anchorDecay), scope);
                    }
                }
                JniUtils.zeroGrad((PtNDArray) weight);
            }
        }
    }

    /** w := (1 - c) w + c w0: the decoupled pull of L2-SP, after the step as AdamW's own decay. */
    private static void pullTowardsAnchor(NDArray weight, NDArray anchor, float c, NDManager scope) {
        // Every temporary goes to the step's scope: each is made in its operand's manager (the
        // model's, or this optimizer's for the anchor), which live as long as the run.
        NDArray kept = weight.mul(1 - c);
        kept.attach(scope);
        NDArray toward = anchor.mul(c);
        toward.attach(scope);
        NDArray pulled = kept.add(toward);
        pulled.attach(scope);
        weight.set(new NDIndex("..."), pulled);
    }

    /**
     * w := w − min(1, c·F) ⊙ (w − w0): the pull of EWC in decoupled form, each element by its own
     * share F of the mean pull c, and never past the anchor. Kept apart from the uniform pull above,
     * whose arithmetic the models trained with it (v2.23's RT) reproduce bit for bit.
     */
    private static void pullTowardsAnchor(NDArray weight, NDArray anchor, NDArray share, float c, NDManager scope) {
        NDArray strength = share.mul(c);
        strength.attach(scope);
        NDArray capped = strength.minimum(1f);
        capped.attach(scope);
        NDArray away = weight.sub(anchor);
        away.attach(scope);
        NDArray back = away.mul(capped);
        back.attach(scope);
        NDArray pulled = weight.sub(back);
        pulled.attach(scope);
        weight.set(new NDIndex("..."), pulled);
    }

    /** Zeroes the gradients without updating (after a step that was not taken). */
    public void zeroGradients() {
        for (TrainableParameter p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.array());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
