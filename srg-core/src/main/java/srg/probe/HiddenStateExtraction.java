package srg.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import srg.UserError;
import srg.chat.Conversation;

/**
 * Reads the hidden states of probe sets from a model into the run folder's store, in batches.
 *
 * <p>Resumable per set: a set already stored for the same model, layers and prompts (compared by
 * conversation hash) is not extracted again; one stored for other prompts or layers is replaced.
 */
public final class HiddenStateExtraction {

    /** What happened to one set. */
    public enum Outcome {
        EXTRACTED,
        REUSED
    }

    private final HiddenStateStore store;

    public HiddenStateExtraction(HiddenStateStore store) {
        this.store = store;
    }

    /**
     * Stores {@code set}'s hidden states at {@code layers} from {@code source}.
     *
     * @param batchSize conversations per {@link HiddenStateSource#extract} call
     * @param rowsDone hears how many prompts each batch finished (reused sets report all at once)
     */
    public Outcome extract(HiddenStateSource source, ProbeSet set, int[] layers, int batchSize, IntConsumer rowsDone)
            throws IOException {
        if (set.prompts().isEmpty()) {
            throw new UserError("probe set '" + set.name() + "' has no prompts");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        for (int l : layers) {
            if (l < 0 || l > source.numLayers()) {
                throw new IllegalArgumentException("layer " + l + " is outside 0.." + source.numLayers()
                        + " of " + source.id() + " (resolve layers with LayerSelection first)");
            }
        }
        HiddenStateIndex wanted = HiddenStateIndex.of(source.id(), set, layers, source.hiddenSize(), source.numerics());
        if (store.index(source.id(), set.name()).filter(i -> i.sameContent(wanted)).isPresent()) {
            rowsDone.accept(set.prompts().size());
            return Outcome.REUSED;
        }
        store.write(wanted, sink -> {
            List<ProbePrompt> prompts = set.prompts();
            for (int from = 0; from < prompts.size(); from += batchSize) {
                List<Conversation> batch = new ArrayList<>();
                for (ProbePrompt p : prompts.subList(from, Math.min(prompts.size(), from + batchSize))) {
                    batch.add(p.conversation());
                }
                HiddenStateBatch states = source.extract(batch, layers.clone());
                states.checkShape(batch.size(), layers.length, source.hiddenSize());
                sink.add(states);
                rowsDone.accept(batch.size());
            }
        });
        return Outcome.EXTRACTED;
    }
}
