package srg.study.safetyworld;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.study.Stage;
import srg.study.StageContext;

/**
 * The generated world ({@code world/}): its corpus, tokenizer, RT and SRG data, replayed
 * knowledge and evaluation sets, in the ecosystem's formats ({@link WorldFiles}).
 */
final class WorldStage extends Stage {

    WorldStage() {
        super(SafetyWorldStudy.WORLD_STAGE, "world", "safetyworld");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        // What the world writes, not its settings (which the contents follow from): a change to what
        // the generator or the teacher writes redoes the world, and through their own content hashes
        // only the stages whose files changed.
        return List.of(name(), SafetyWorldStudy.files(ctx).contentHash());
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        WorldFiles files = SafetyWorldStudy.files(ctx);
        files.write(dir);
        ctx.console().info(String.format(java.util.Locale.ROOT, "world: %d substances (%d held out for evaluation), corpus of %d "
                + "documents, vocabulary %d", files.world().entities().size(), files.world().evalEntities().size(),
                files.corpus().documents().size(), files.vocabularySize()));
    }
}
