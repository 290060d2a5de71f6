package srg.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.engine.train.TrainCheckpoint;
import srg.engine.train.TrainResult;
import srg.run.TrainSettings;
import srg.run.Training;

/**
 * The RT or the SRG model ({@code models/rt}, {@code models/srg}): the base fine-tuned on its data
 * with its recipe (a Hugging Face checkpoint, or a PEFT adapter). Resumes from its checkpoints.
 */
final class TrainStage extends Stage {

    private final String role;

    TrainStage(String role) {
        super(nameOf(role), "models/" + role, "training." + role);
        this.role = role;
    }

    /** The model it trains: rt or srg. */
    String role() {
        return role;
    }

    static String nameOf(String role) {
        return "train-" + role;
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        StudyInputs.TrainingData data = StudyInputs.training(ctx, role);
        return List.of(role, "srg-study-train-1", StudyInputs.base(ctx).identity(),
                ctx.study().training().get(role).resultDefiningJson().toString(), data.fingerprint(), "replay=" + data.replayLength());
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        TrainSettings settings = ctx.study().training().get(role);
        StudyInputs.TrainingData data = StudyInputs.training(ctx, role);
        Training.Inputs inputs = Training.Inputs.chat(data.data());
        if (data.replay() != null) {
            inputs = inputs.withReplay(data.replay(), data.replayLength());
        }
        if (data.validation() != null) {
            inputs = inputs.withEvalData(data.validation());
        }
        if (data.knownText() != null) {
            inputs = inputs.withKnownText(data.knownText());
        }
        Training training = new Training(settings, inputs, ctx.console());
        TrainResult result = training.run(name(), StudyInputs.base(ctx).folder(), ctx.device(), dir, resuming && new TrainCheckpoint(dir).begun());
        if (result.interrupted()) {
            throw new UserError(name() + ": stopped at step " + result.steps() + " of " + result.totalSteps()
                    + "; run the study again to continue from its checkpoint");
        }
    }
}
