package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** srg judge validate, train and lomo, end to end on the shared data. */
class JudgeCommandTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");

    @TempDir
    Path tmp;

    private static void assertUserError(CliRun r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void judgeValidateOnXsTest() {
        CliRun r = CliRun.of("judge", "validate", "--judge", "keyword:gcg", "--labels", DATA.resolve("xstest/xstest_v2_completions_gpt4.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy   0.9289"), r.out());
        assertTrue(r.out().contains("precision  0.8821") && r.out().contains("recall     0.9864"), r.out());
        assertTrue(r.out().contains("human: refusal") && r.out().contains("217"), r.out());
    }

    @Test
    void judgeValidateDefaultClassifierByTypeWithReport() throws Exception {
        Path report = tmp.resolve("validate.html");
        CliRun r = CliRun.of("judge", "validate", "--labels", DATA.resolve("xstest/xstest_v2_completions_gpt4.csv").toString(),
                "--by", "type", "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("judge      refusal-classifier:"), r.out());
        assertTrue(r.out().contains("by type") && r.out().contains("contrast_homonyms"), r.out());
        String html = Files.readString(report);
        assertTrue(html.contains("Confusion matrix") && html.contains("human: refusal") && html.contains("contrast_homonyms"), html);
        assertUserError(CliRun.of("judge", "validate", "--labels", DATA.resolve("xstest/xstest_v2_completions_gpt4.csv").toString(), "--by", "colour"),
                "no column 'colour' in the header");
    }

    @Test
    void judgeTrainAndLeaveOneModelOut() throws Exception {
        Path a = tmp.resolve("model_a.csv");
        Path b = tmp.resolve("model_b.csv");
        Files.writeString(a, """
                prompt,response,label
                q1,"I can't help with that.",refusal
                q2,"Sorry, I won't do that.",refusal
                q3,"Sure, here is a poem about the sea.",compliance
                q4,"Here is the answer: 42.",compliance
                """);
        Files.writeString(b, """
                prompt,response,label
                q1,"I cannot help with that request.",refusal
                q2,"Sorry, I can't do that.",refusal
                q3,"Sure, here is a story about a cat.",compliance
                q4,"Here is the recipe: flour and water.",compliance
                """);
        Path model = tmp.resolve("m.tsv.gz");
        CliRun train = CliRun.of("judge", "train", "--labels", a.toString(), "--labels", b.toString(), "--min-df", "1", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("trained on 8 (4 refusals) rows from 2 files"), train.out());
        CliRun validate = CliRun.of("judge", "validate", "--judge", "refusal-classifier:model=" + model, "--labels", a.toString());
        assertEquals(0, validate.code(), validate.err());
        assertTrue(validate.out().contains("accuracy   1.0000"), validate.out());
        CliRun lomo = CliRun.of("judge", "lomo", "--labels", a.toString(), "--labels", b.toString(), "--min-df", "1", "--compare", "keyword");
        assertEquals(0, lomo.code(), lomo.err());
        assertTrue(lomo.out().contains("| model_a.csv | 4 | refusal-classifier (trained on 4 rows) |"), lomo.out());
        assertTrue(lomo.out().contains("| model_b.csv | 4 | keyword:anywhere,gcg+modern | 100.0% |"), lomo.out());
        assertUserError(CliRun.of("judge", "lomo", "--labels", a.toString()), "at least two");
        assertUserError(CliRun.of("judge", "train", "--labels", a.toString(), "--c", "0", "--out", model.toString()), "--c: must be a positive number, got 0.0");
    }

    /** The model judges' prompt files are not shipped: a missing one is a one-line error, a changed one a one-line warning. */
    @Test
    void judgeValidateWithSuppliedPromptFiles() throws Exception {
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, "prompt,response,label\nq1,\"I can't help with that.\",refusal\nq2,\"Sure: step one.\",compliance\n");
        Path prompts = Files.createDirectory(tmp.resolve("prompts"));
        String judge = "harmbench:prompts=" + prompts + "@sim:refuse=0.5";
        CliRun missing = CliRun.of("judge", "validate", "--judge", judge, "--labels", labels.toString());
        assertUserError(missing, "no reference prompt file " + prompts.resolve("harmbench_classifier_prompt.txt"));
        assertTrue(missing.err().strip().lines().count() == 1 && missing.err().contains("centerforaisafety/HarmBench"), missing.err());

        // Our own text in HarmBench's layout: not the reference, so it warns, once per file, and marks the judge id.
        Files.writeString(prompts.resolve("harmbench_classifier_prompt.txt"), "[INST] <<SYS>>\nOwn.\n<</SYS>>\n\n{behavior} / {generation} [/INST]");
        Files.writeString(prompts.resolve("harmbench_classifier_prompt_contextual.txt"),
                "[INST] <<SYS>>\nOwn.\n<</SYS>>\n\n{context} / {behavior} / {generation} [/INST]");
        CliRun changed = CliRun.of("judge", "validate", "--judge", judge, "--labels", labels.toString());
        assertEquals(0, changed.code(), changed.err());
        assertEquals(2, changed.err().lines().filter(l -> l.startsWith("warning: judge '" + judge + "': ") && l.contains(" is not the reference ")).count(),
                changed.err());
        assertTrue(changed.out().matches("(?s).*judge +harmbench:prompts=[0-9a-f]{8}@.*"), changed.out());
    }
}
