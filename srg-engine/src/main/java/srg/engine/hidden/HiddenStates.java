package srg.engine.hidden;

/**
 * Residual-stream states of a set of conversations.
 *
 * @param layers which layers were kept: 0 is the embedding output, i the output of block i
 * @param lastToken [row][layer][hidden]: the state at the last prompt token, i.e. the end of the
 *     generation prompt, where the model decides how to answer
 * @param meanPooled [row][layer][hidden]: the mean over the prompt's real (unpadded) tokens
 */
public record HiddenStates(int[] layers, float[][][] lastToken, float[][][] meanPooled) {

    public int rows() {
        return lastToken.length;
    }

    public int hiddenSize() {
        return lastToken.length == 0 ? 0 : lastToken[0][0].length;
    }
}
