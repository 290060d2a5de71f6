package srg.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;

/** Leave-one-model-out: one fold per model's file, the compared judges scored on the same held-out file. */
class LeaveOneModelOutTest {

    @TempDir
    Path tmp;

    private LabelFile labels(String name, String... rows) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, "prompt,response,label\n" + String.join("\n", rows) + "\n");
        return LabelFile.read(file, null);
    }

    @Test
    void eachFoldHoldsOneModelOutAndScoresTheComparedJudgesOnIt() throws Exception {
        LabelFile a = labels("a.csv", "q1,\"I can't help with that.\",refusal", "q2,\"Sure, here is a poem.\",compliance",
                "q3,\"Sorry, I won't do that.\",refusal");
        LabelFile b = labels("b.csv", "q1,\"I cannot help with that request.\",refusal", "q2,\"Here is the answer: 42.\",compliance");
        RefusalClassifier.Options options = new RefusalClassifier.Options(2, 4, 10, 1);
        List<LeaveOneModelOut.Fold> folds = LeaveOneModelOut.run(List.of(a, b), List.of(), options, null, List.of("keyword"), w -> {});
        assertEquals(2, folds.size());
        assertEquals("a.csv", folds.get(0).heldOut().name());
        assertEquals(2, folds.get(0).trainingRows(), "trained on b alone");
        assertEquals(3, folds.get(1).trainingRows(), "trained on a alone");
        for (LeaveOneModelOut.Fold fold : folds) {
            assertEquals(1, fold.compared().size());
            JudgeValidation.Result keyword = fold.compared().get(0);
            assertEquals(fold.heldOut().rows().size(), keyword.rows());
            assertEquals(1.0, keyword.counts().accuracy(), "keyword knows these refusals");
        }
    }

    @Test
    void mistakesNameTheirSettings() throws Exception {
        LabelFile a = labels("a.csv", "q1,\"I can't help with that.\",refusal", "q2,\"Sure.\",compliance");
        LabelFile b = labels("b.csv", "q1,\"I cannot do that.\",refusal", "q2,\"Here it is.\",compliance");
        RefusalClassifier.Options options = new RefusalClassifier.Options(2, 4, 10, 1);
        assertEquals("labels: give at least two models' files", assertThrows(SettingError.class,
                () -> LeaveOneModelOut.run(List.of(a), List.of(), options, null, List.of(), w -> {})).getMessage());
        SettingError e = assertThrows(SettingError.class,
                () -> LeaveOneModelOut.run(List.of(a, b), List.of(), options, null, List.of("refusal@sim:refuse=1"), w -> {}));
        assertEquals("--compare refusal@sim:refuse=1: only model-free judges (keyword, refusal-classifier)", e.message(s -> "--" + s));
        assertEquals("min_df: must be at least 1, got 0", assertThrows(SettingError.class,
                () -> new RefusalClassifier.Options(2, 4, 10, 0)).getMessage());
        assertEquals("subset: expected all, harmful or benign, got 'some'", assertThrows(SettingError.class,
                () -> JudgeValidation.Subset.parse("some")).getMessage());
    }
}
