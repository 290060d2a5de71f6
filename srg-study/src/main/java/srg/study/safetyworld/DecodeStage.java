package srg.study.safetyworld;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import srg.study.Stage;
import srg.study.StageContext;

/**
 * Does the base model read disguises ({@code decode/decode.json})? Before any safety training it
 * must already decode held-out disguised requests back to their plain form ({@link DecodeCheck}).
 */
final class DecodeStage extends Stage {

    DecodeStage() {
        super(SafetyWorldStudy.DECODE_STAGE, "decode", "safetyworld");
    }

    @Override
    public List<String> inputs(StageContext ctx) {
        return List.of(name(), "safetyworld-decode-1", ctx.fingerprint(SafetyWorldStudy.BASE_STAGE));
    }

    @Override
    public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
        DecodeCheck check = DecodeCheck.run(ctx.folder(SafetyWorldStudy.BASE_STAGE), SafetyWorldStudy.files(ctx).corpus(), ctx.device(),
                ctx.study().decodeBatch(), ctx.console());
        check.write(dir.resolve(DecodeCheck.FILE));
    }
}
