package srg.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.run.ProbeSettings;
import srg.run.Probing;

/**
 * Representation analysis of the study's in-process models ({@code probe/}: hidden/, probe.json,
 * probe.html), through the same code as srg probe. Hidden states already stored are reused.
 */
final class ProbeStage extends Stage {

    static final String NAME = "probe";

    ProbeStage() {
        super(NAME, NAME, "probe");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        List<String> parts = new ArrayList<>(List.of(NAME, "srg-study-probe-1", StudyFile.tree(ctx.study()).path("probe").toString(),
                StudyInputs.probeData(ctx).identity()));
        parts.addAll(ModelRef.identities(ctx, ctx.study().probeModels()));
        return parts;
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        StudyInputs.IdSets ids = StudyInputs.probeData(ctx);
        ProbeSettings settings = ctx.study().probe().withData(ids.harmful(), ids.benign());
        new Probing(settings, ctx.console()).run(Probing.standard(StudyInputs.extensions(ctx)),
                ModelRef.specs(ctx, ctx.study().probeModels()), dir);
        ctx.console().info("probe: wrote " + dir.resolve(srg.probe.ProbeJson.FILE));
    }
}
