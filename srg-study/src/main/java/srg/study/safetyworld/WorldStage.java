package srg.study.safetyworld;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        SafetyWorldSettings s = ctx.study().world();
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("seed", s.world().seed());
        o.put("entities_per_kind", s.world().entitiesPerKind());
        o.put("eval_entities_per_kind", s.world().evalEntitiesPerKind());
        o.set("mixture", SafetyWorldSettings.mixtureJson(s.mixture()));
        // The files' contents, not only the settings: a change to what the generator or the teacher
        // writes must redo the world, and (through their own content hashes) what reads from it.
        return List.of(name(), "safetyworld-world-3", o.toString(), SafetyWorldStudy.files(ctx).contentHash());
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
