package srg.probe;

import java.util.Objects;

/**
 * What {@link HiddenStateSource#extract} returns for a batch of prompts.
 *
 * @param lastToken {@code [rows][layers][hidden]}: the state at the last prompt token
 * @param meanPooled {@code [rows][layers][hidden]}: the mean over the prompt's tokens
 */
public record HiddenStateBatch(float[][][] lastToken, float[][][] meanPooled) {

    public HiddenStateBatch {
        Objects.requireNonNull(lastToken, "lastToken");
        Objects.requireNonNull(meanPooled, "meanPooled");
        if (lastToken.length != meanPooled.length) {
            throw new IllegalArgumentException("last-token and mean-pooled states differ in rows: "
                    + lastToken.length + " vs " + meanPooled.length);
        }
    }

    public int rows() {
        return lastToken.length;
    }

    /**
     * Checks the shape against what was asked for; a mismatch is an engine bug, never the user's.
     */
    void checkShape(int expectedRows, int layers, int hidden) {
        if (rows() != expectedRows) {
            throw new IllegalStateException("hidden-state source returned " + rows() + " rows for "
                    + expectedRows + " conversations");
        }
        for (float[][][] part : new float[][][][] {lastToken, meanPooled}) {
            for (float[][] row : part) {
                if (row.length != layers) {
                    throw new IllegalStateException("hidden-state source returned " + row.length
                            + " layers, asked for " + layers);
                }
                for (float[] v : row) {
                    if (v.length != hidden) {
                        throw new IllegalStateException("hidden-state source returned vectors of width "
                                + v.length + ", its hidden size is " + hidden);
                    }
                }
            }
        }
    }
}
