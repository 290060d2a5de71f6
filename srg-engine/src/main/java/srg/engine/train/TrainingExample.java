package srg.engine.train;

import java.util.Arrays;

/**
 * One training sequence: its tokens and which of them the loss is on. {@code targets[t]} means
 * the model is trained to predict {@code tokens[t]} from the tokens before it, so
 * {@code targets[0]} is always false.
 */
public record TrainingExample(long[] tokens, boolean[] targets) {

    public TrainingExample {
        if (tokens.length != targets.length) {
            throw new IllegalArgumentException("tokens and targets differ in length");
        }
        if (targets.length > 0 && targets[0]) {
            throw new IllegalArgumentException("the first token has nothing to be predicted from");
        }
    }

    /** Every token but the first is a target (pretraining). */
    public static TrainingExample allTokens(long[] tokens) {
        boolean[] targets = new boolean[tokens.length];
        Arrays.fill(targets, true);
        if (targets.length > 0) {
            targets[0] = false;
        }
        return new TrainingExample(tokens, targets);
    }

    public int length() {
        return tokens.length;
    }

    public int targetCount() {
        int n = 0;
        for (boolean t : targets) {
            if (t) {
                n++;
            }
        }
        return n;
    }

    /** The first {@code length} tokens. */
    public TrainingExample truncate(int length) {
        return new TrainingExample(Arrays.copyOf(tokens, length), Arrays.copyOf(targets, length));
    }
}
