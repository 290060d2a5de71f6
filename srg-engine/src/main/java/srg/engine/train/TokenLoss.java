package srg.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import srg.engine.model.Adapters;
import srg.engine.model.ForwardInputs;
import srg.engine.model.Transformer;

/**
 * The summed next-token cross-entropy of a micro-batch over its target tokens. Only the positions
 * that predict a target go through the LM head: with the loss on assistant tokens only, most
 * positions of a chat sequence never need their (vocabulary-wide) logits.
 */
final class TokenLoss {

    private TokenLoss() {}

    /** -Σ log p(target), as a scalar in {@code scope} (differentiable when a gradient collector is open). */
    static NDArray sum(Transformer model, Adapters adapters, MicroBatch batch, NDManager scope) {
        NDArray tokens = scope.create(batch.tokens(), new Shape(batch.batch(), batch.steps()));
        ForwardInputs in = ForwardInputs.build(scope, model, batch.padLeft(), 0, batch.steps());
        NDArray hidden = model.forward(tokens, in, null, adapters, null);
        NDArray flat = hidden.reshape(batch.batch() * (long) batch.steps(), model.config().hiddenSize());
        NDArray rows = flat.get(scope.create(batch.predictRows()));
        NDArray logits = model.logits(rows);
        NDArray logProbs = logits.logSoftmax(-1);
        // The graph keeps what backward needs; the logits themselves are not needed, so free them now.
        logits.close();
        NDArray picked = logProbs.gather(scope.create(batch.targetIds(), new Shape(batch.targetCount(), 1)), 1);
        return picked.sum().neg();
    }
}
