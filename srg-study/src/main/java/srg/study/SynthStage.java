package srg.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.model.ModelSpec;
import srg.run.Synthesis;
import srg.synth.QuerySet;

/**
 * SRG data: the teacher reasons with the guidelines over the training queries, the rejection
 * filter keeps the good samples ({@code synth/srg.jsonl}, with the rejected ones and a summary
 * beside it). The teacher's completions are cached in {@code cache/synth}, outside the stage's
 * folder: a redo after a change of the filter asks the teacher for nothing it answered before.
 */
final class SynthStage extends Stage {

    static final String NAME = "synth";
    static final String FILE = "srg.jsonl";

    SynthStage() {
        super(NAME, NAME, "synth");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        Study study = ctx.study();
        ObjectNode settings = StudyFile.tree(study).path("synth").deepCopy();
        // The teacher by what it is, not where it is served.
        settings.put("teacher", ModelSpec.parse(study.synth().teacher()).id());
        settings.put("guidelines", new Synthesis(study.synth(), ctx.console()).guidelines().sha256());
        return List.of(NAME, "srg-study-synth-1", settings.toString(), StudyInputs.datasets(study.synth().harmful()),
                StudyInputs.datasets(study.synth().benign()));
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) {
        Synthesis synthesis = new Synthesis(ctx.study().synth(), ctx.console());
        QuerySet queries = synthesis.queries();
        Synthesis.Outcome outcome = synthesis.run(queries, dir.resolve(FILE), ctx.out().resolve("cache/synth"), ctx.provenance());
        ctx.console().info(String.format(java.util.Locale.ROOT, "synth: %d queries, %d teacher samples (%d from the cache); "
                + "kept %d lines for %d queries", outcome.queries(), outcome.report().samples(), outcome.cachedSamples(),
                outcome.report().kept(), outcome.report().queriesKept()));
        if (outcome.report().kept() == 0) {
            throw new UserError("synth: no teacher sample passed the rejection filter; see " + outcome.outputs().rejected()
                    + " for why");
        }
    }
}
