package srg.eval;

import java.util.function.Consumer;
import srg.store.RunStore;

/**
 * What the stages of one Best-of-N run share.
 *
 * @param store where every stage reads what is done and writes what it does
 * @param warn what the user should know, in order (results.json keeps it)
 * @param samplingKey the target's sampling settings, part of every sample's key in the store
 */
record StageContext(EvalConfig config, RunStore store, EvalProgress progress, Consumer<String> warn, String samplingKey) {

    StageContext(EvalConfig config, RunStore store, EvalProgress progress, Consumer<String> warn) {
        this(config, store, progress, warn, config.sampling().key());
    }
}
