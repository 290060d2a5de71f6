package srg.engine.train;

import java.util.Arrays;
import java.util.List;

/**
 * Examples padded into one [B, T] token matrix (left padding, as the engine's attention mask
 * expects), with the flat positions whose next token is a target and those targets.
 *
 * @param predictRows flat indices b·T + t of the positions that predict a target
 * @param targetIds the token each of those positions must predict
 * @param tokenCount real (non-padding) tokens
 */
record MicroBatch(long[] tokens, int batch, int steps, int[] padLeft, long[] predictRows, long[] targetIds,
        long tokenCount) {

    static MicroBatch of(List<TrainingExample> examples, long padId) {
        int batch = examples.size();
        int steps = 0;
        int targets = 0;
        long real = 0;
        for (TrainingExample e : examples) {
            steps = Math.max(steps, e.length());
            targets += e.targetCount();
            real += e.length();
        }
        long[] tokens = new long[batch * steps];
        Arrays.fill(tokens, padId);
        int[] padLeft = new int[batch];
        long[] rows = new long[targets];
        long[] ids = new long[targets];
        int k = 0;
        for (int b = 0; b < batch; b++) {
            TrainingExample e = examples.get(b);
            int pad = steps - e.length();
            padLeft[b] = pad;
            System.arraycopy(e.tokens(), 0, tokens, b * steps + pad, e.length());
            for (int t = 1; t < e.length(); t++) {
                if (e.targets()[t]) {
                    rows[k] = (long) b * steps + pad + t - 1;
                    ids[k] = e.tokens()[t];
                    k++;
                }
            }
        }
        return new MicroBatch(tokens, batch, steps, padLeft, rows, ids, real);
    }

    int targetCount() {
        return targetIds.length;
    }
}
