package srg.probe;

import java.util.List;
import srg.chat.Conversation;

/**
 * A model whose hidden states can be read: the seam between the analyses here and the
 * in-process engine (srg-engine), which implements it.
 *
 * <p>Layer numbering follows Hugging Face's {@code output_hidden_states=True}: index 0 is the
 * embedding output and index {@code i} (1..{@link #numLayers()}) the output of decoder block
 * {@code i}; the last one is taken after the final norm, as transformers does.
 */
public interface HiddenStateSource extends AutoCloseable {

    /** The model's short stable name, as {@link srg.chat.ChatModel#id()}; keys the store and reports. */
    String id();

    /**
     * How the model computes (an in-process model's matmul format: f32 or bf16), or null where it
     * does not say. Stored states computed in another format are extracted again, never reused.
     */
    default String numerics() {
        return null;
    }

    /** Number of decoder blocks; valid layer indices are {@code 0..numLayers()}. */
    int numLayers();

    /** Width of the residual stream. */
    int hiddenSize();

    /**
     * Hidden states of each conversation's prompt, rendered with the model's chat template and
     * its generation prompt (what the model sees just before it starts answering).
     *
     * @param conversations the prompts, in order
     * @param layers layer indices to return, in the order given (each in {@code 0..numLayers()})
     * @return per conversation and requested layer, the last-prompt-token state and the mean over
     *     all prompt tokens (padding excluded), both {@code [rows][layers.length][hiddenSize()]}
     */
    HiddenStateBatch extract(List<Conversation> conversations, int[] layers);

    @Override
    default void close() {}
}
