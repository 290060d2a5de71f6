package srg.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import srg.UserError;
import srg.run.RtPairing;
import srg.run.RtSettings;
import srg.synth.QuerySet;

/**
 * RT data paired line by line with the SRG data ({@code rt/rt.jsonl}): the same queries, direct
 * refusals for the harmful ones, the SRG lines' final answers for the benign ones.
 */
final class RtStage extends Stage {

    static final String NAME = "rt";
    static final String FILE = "rt.jsonl";

    RtStage() {
        super(NAME, NAME, "rt");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        RtSettings rt = ctx.study().rt();
        ObjectNode settings = StudyFile.tree(ctx.study()).path("rt").deepCopy();
        boolean file = !rt.refusals().equals("builtin") && !rt.refusals().equals("srg") && !rt.refusals().startsWith(RtSettings.MODEL_PREFIX);
        if (file) {
            settings.put("refusals", Fingerprint.file(Path.of(rt.refusals())));
        }
        return List.of(NAME, "srg-study-rt-1", settings.toString(), ctx.fingerprint(SynthStage.NAME),
                StudyInputs.datasets(rt.harmful()), StudyInputs.datasets(rt.benign()));
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) {
        RtPairing pairing = new RtPairing(ctx.study().rt(), ctx.console());
        QuerySet queries = pairing.queries();
        RtPairing.Outcome outcome = pairing.run(queries, ctx.folder(SynthStage.NAME).resolve(SynthStage.FILE), dir.resolve(FILE),
                ctx.out().resolve("cache/rt"), ctx.provenance());
        ctx.console().info("rt: " + outcome.rtLines() + " lines for " + outcome.rtQueries() + " queries");
        if (!outcome.paired()) {
            throw new UserError("rt: the RT data does not pair with the SRG data line by line (see " + outcome.summary() + ")");
        }
    }
}
