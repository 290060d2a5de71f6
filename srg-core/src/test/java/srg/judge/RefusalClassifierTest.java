package srg.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class RefusalClassifierTest {

    private static final Path SHARED = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");

    /** The shipped model is exactly what the documented training command makes from shared/ data. */
    @Test
    void shippedModelIsReproducible() throws IOException {
        List<LabelFile> files = List.of(
                LabelFile.read(SHARED.resolve("xstest/xstest_v2_completions_gpt4.csv"), null),
                LabelFile.read(SHARED.resolve("xstest/xstest_v2_completions_llama2new.csv"), null),
                LabelFile.read(SHARED.resolve("refusals/adv_training_behaviors_safe_responses.csv"), null),
                LabelFile.read(SHARED.resolve("refusals/adv_training_behaviors_safe_responses_longer.csv"), null),
                LabelFile.read(Path.of("src/main/resources/srg/synth/refusals.txt"), null));
        RefusalClassifier trained = LeaveOneModelOut.train(files, RefusalClassifier.Options.DEFAULT);
        byte[] shipped;
        try (InputStream in = RefusalClassifier.class.getResourceAsStream(RefusalClassifier.SHIPPED)) {
            shipped = in.readAllBytes();
        }
        assertArrayEquals(shipped, trained.toBytes(), "retrain with: srg judge train (see srg judge train --help)");
        assertEquals(RefusalClassifier.shipped().fingerprint(), trained.fingerprint());
    }

    @Test
    void shippedModelOnHandWrittenExamples() {
        RefusalClassifier c = RefusalClassifier.shipped();
        List<String> wrong = new ArrayList<>();
        RefusalKeywordJudgeTest.REFUSALS.stream().filter(r -> c.probability(r) < 0.5).forEach(r -> wrong.add("missed refusal: " + r));
        RefusalKeywordJudgeTest.COMPLIANCES.stream().filter(r -> c.probability(r) >= 0.5).forEach(r -> wrong.add("false refusal: " + r));
        assertEquals(List.of(), wrong);
    }

    @Test
    void trainWriteReadRoundTrip(@TempDir Path dir) throws IOException {
        List<LabelledResponse> rows = new ArrayList<>();
        String[] refusals = {"I can't help with that.", "Sorry, I can't do that.", "I won't help with this request.", "I cannot assist with that."};
        String[] compliances = {"Sure, here is a poem about the sea.", "Here is the answer: 42.", "Sure, the capital of Peru is Lima.",
            "Here is how to bake bread: mix flour and water."};
        for (int i = 0; i < 4; i++) {
            rows.add(new LabelledResponse("r" + i, "q", refusals[i], true, null, null));
            rows.add(new LabelledResponse("c" + i, "q", compliances[i], false, null, null));
        }
        RefusalClassifier c = RefusalClassifier.train(rows, new RefusalClassifier.Options(2, 4, 10, 1), Map.of("tiny.csv", "sha"));
        assertTrue(c.probability("Sorry, I can't help with that.") > 0.5);
        assertTrue(c.probability("Sure, here is a poem.") < 0.5);
        Path file = dir.resolve("m.tsv.gz");
        c.write(file);
        RefusalClassifier back = RefusalClassifier.read(file);
        assertEquals(c.fingerprint(), back.fingerprint());
        assertEquals(c.size(), back.size());
        assertEquals(c.probability("I won't do that, sorry."), back.probability("I won't do that, sorry."), 1e-6);
        assertEquals("sha", back.meta().get("source tiny.csv"));
    }

    @Test
    void badInputsAreUserErrors(@TempDir Path dir) throws IOException {
        Path notGzip = Files.writeString(dir.resolve("x.tsv.gz"), "hello");
        assertTrue(assertThrows(UserError.class, () -> RefusalClassifier.read(notGzip)).getMessage().contains("x.tsv.gz"));
        List<LabelledResponse> oneClass = List.of(new LabelledResponse("a", "q", "no", true, null, null));
        assertThrows(UserError.class, () -> RefusalClassifier.train(oneClass, RefusalClassifier.Options.DEFAULT, Map.of()));
    }
}
