package srg.study.safetyworld;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;
import srg.engine.train.TrainCheckpoint;
import srg.engine.train.TrainResult;
import srg.io.FileTrees;
import srg.run.Training;
import srg.study.Stage;
import srg.study.StageContext;

/**
 * The base model ({@code models/base}): a random Llama-style model of the study's shape with the
 * world's tokenizer, pretrained on the world's corpus. Keyed as srg quickstart keyed it before
 * studies (the world, shape and pretraining, and the corpus with its vocabulary), so a base
 * pretrained then is reused now.
 */
final class BaseStage extends Stage {

    /** The version srg quickstart's base models were keyed with. */
    private static final String VERSION = "safetyworld-1";

    BaseStage() {
        super(SafetyWorldStudy.BASE_STAGE, "models/base", "safetyworld");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        return List.of("base", VERSION, ctx.study().world().baseJson().toString(), SafetyWorldStudy.files(ctx).corpusHash());
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        SafetyWorldSettings settings = ctx.study().world();
        Path world = ctx.folder(SafetyWorldStudy.WORLD_STAGE);
        Path init = dir.resolve("init");
        // The same random weights every time (seeded), so a resumed run continues from its own start.
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(ModelFamily.LLAMA, RandomCheckpoint.Preset.TINY,
                world.resolve(WorldFiles.TOKENIZER), settings.world().seed()).withOverrides(settings.model()), init);
        Training training = new Training(settings.pretrain(), Training.Inputs.corpus(world.resolve(WorldFiles.CORPUS)), ctx.console());
        TrainResult result = training.run("pretrain base", init, ctx.device(), dir, resuming && new TrainCheckpoint(dir).begun());
        if (result.interrupted()) {
            throw new UserError("base: stopped at step " + result.steps() + " of " + result.totalSteps()
                    + "; run again to continue from its checkpoint");
        }
        FileTrees.deleteTree(init);
    }
}
