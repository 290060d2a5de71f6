package srg.engine.train;

import srg.UserError;

/** The loss or the gradients stopped being finite; the run stops before the bad update. */
public final class TrainingDiverged extends UserError {
    public TrainingDiverged(String message) {
        super(message);
    }
}
