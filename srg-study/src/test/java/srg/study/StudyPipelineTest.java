package srg.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.run.Console;
import srg.run.Provenance;

/** The stage machinery on stages of its own: reuse, redo downstream, resume unfinished work, never a half-made folder. */
class StudyPipelineTest {

    @TempDir
    Path tmp;

    /** Writes its input into "out.txt"; the second stage appends what the first wrote. */
    private static class Echo extends Stage {
        String input;
        final String reads;
        final List<String> runs = new ArrayList<>();
        boolean failOnce;

        Echo(String name, String input, String reads) {
            super(name, "stages/" + name, name);
            this.input = input;
            this.reads = reads;
        }

        @Override
        public List<String> inputs(StageContext ctx) {
            return reads == null ? List.of(name(), input) : List.of(name(), input, ctx.fingerprint(reads));
        }

        @Override
        public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
            runs.add(resuming ? "resume" : "run");
            Path part = dir.resolve("half.txt");
            if (failOnce) {
                failOnce = false;
                Files.writeString(part, "half");
                throw new UserError(name() + ": interrupted");
            }
            assertEquals(resuming, Files.exists(part), "resuming sees its own unfinished work, a new run an empty folder");
            String upstream = reads == null ? "" : Files.readString(ctx.folder(reads).resolve("out.txt"));
            Files.writeString(dir.resolve("out.txt"), upstream + input);
        }
    }

    private List<StudyPipeline.Status> run(List<Stage> stages) throws IOException {
        return records(stages).stream().map(StudyPipeline.StageRecord::status).toList();
    }

    private List<StudyPipeline.StageRecord> records(List<Stage> stages) throws IOException {
        StudyFile.Located study = StudyFile.parse("name: t\nmodels: {base: sim:refuse=0.5}\ndata: {eval: {harmful: [h.csv]}}\n",
                tmp.resolve("study.yaml"));
        return new StudyPipeline(study, tmp.resolve("out"), Console.silent(), new Provenance(List.of(), "test"), false, stages).run();
    }

    @Test
    void aReusedStageReportsWhatMakingItTook() throws IOException {
        Echo slow = new Echo("slow", "1", null) {
            @Override
            public void run(StageContext ctx, Path dir, boolean resuming) throws IOException {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.run(ctx, dir, resuming);
            }
        };
        double made = records(List.of(slow)).get(0).seconds();
        assertTrue(made >= 0.05, "made in " + made + " s");
        StudyPipeline.StageRecord reused = records(List.of(slow)).get(0);
        assertEquals(StudyPipeline.Status.REUSE, reused.status());
        assertEquals(made, reused.seconds(), 1e-3, "a rerun keeps the time of the run that made the stage");
    }

    @Test
    void reusesRedoesDownstreamAndResumes() throws IOException {
        Echo a = new Echo("a", "1", null);
        Echo b = new Echo("b", "x", "a");
        List<Stage> stages = List.of(a, b);
        assertEquals(List.of(StudyPipeline.Status.RUN, StudyPipeline.Status.RUN), run(stages));
        assertEquals("1x", Files.readString(tmp.resolve("out/stages/b/out.txt")));
        assertEquals(List.of(StudyPipeline.Status.REUSE, StudyPipeline.Status.REUSE), run(stages));
        assertEquals(List.of("run"), a.runs);

        // A new input of the first stage: both are made again, the second from the new first.
        a.input = "2";
        assertEquals(List.of(StudyPipeline.Status.REDO, StudyPipeline.Status.REDO), run(stages));
        assertEquals("2x", Files.readString(tmp.resolve("out/stages/b/out.txt")));

        // The second stage is interrupted: its old folder stays until the new one is done; the rerun resumes.
        b.input = "y";
        b.failOnce = true;
        assertThrows(UserError.class, () -> run(stages));
        assertEquals("2x", Files.readString(tmp.resolve("out/stages/b/out.txt")), "the finished folder is untouched");
        assertTrue(Files.exists(tmp.resolve("out/stages/b.partial/half.txt")));
        assertEquals(List.of(StudyPipeline.Status.REUSE, StudyPipeline.Status.RESUME), run(stages));
        assertEquals("2y", Files.readString(tmp.resolve("out/stages/b/out.txt")));
        assertFalse(Files.exists(tmp.resolve("out/stages/b.partial")));
        assertEquals(List.of("run", "run", "run", "resume"), b.runs);
    }

    /** The eval stage's fingerprint of a study on a given local model, computing in {@code computeDtype}. */
    private String evalFingerprint(String computeDtype) throws IOException {
        Path model = Files.createDirectories(tmp.resolve("model"));
        if (!Files.exists(model.resolve("config.json"))) { // written once: a given folder is known by its files' times
            Files.writeString(model.resolve("config.json"), "{}");
            Files.writeString(tmp.resolve("h.csv"), "goal\nsomething harmful\n");
        }
        Path file = tmp.resolve("study-" + computeDtype + ".yaml");
        Files.writeString(file, "name: s\ncompute_dtype: " + computeDtype
                + "\nmodels: {base: model}\ndata:\n  eval: {harmful: [h.csv]}\n");
        List<StudyPipeline.StageRecord> plan = new StudyPipeline(StudyFile.read(file), tmp.resolve("out-" + computeDtype),
                Console.silent(), new Provenance(List.of(), "test"), false).plan();
        return plan.stream().filter(r -> r.name().equals(EvalStage.NAME)).findFirst().orElseThrow().fingerprint();
    }

    @Test
    void theMatmulFormatIsPartOfWhatAStageIsMadeFrom() throws IOException {
        String f32 = evalFingerprint("f32");
        String bf16 = evalFingerprint("bf16");
        assertNotEquals(f32, bf16, "BF16 samples are other samples");
        // auto is whichever this CPU picks: the same stage as that format named.
        assertEquals(srg.engine.model.Precision.choose("auto", "compute_dtype").precision() == srg.engine.model.Precision.BF16
                ? bf16 : f32, evalFingerprint("auto"));
    }

    @Test
    void theJudgeAStudyBringsIsPartOfWhatItsEvaluationIsMadeFrom() throws IOException {
        // SafetyWorld's oracle is named "safetyworld" in the study file; its id, which changes when
        // it decides otherwise, is what keys the evaluation, so that old verdicts are not reused.
        Path file = tmp.resolve("sw.yaml");
        Files.writeString(file, "name: sw\nsafetyworld:\n  model: {hidden_size: 64}\n  pretrain: {mode: full}\neval: {judge: safetyworld}\n");
        StageContext world = context(file);
        assertEquals(List.of("judge=" + srg.world.WorldOracleJudge.ID), EvalStage.extensionJudges(world, world.study().eval()));
        // A study of catalogue judges adds nothing: its fingerprints stay as they were.
        Path catalogueFile = tmp.resolve("catalogue.yaml");
        Files.writeString(tmp.resolve("h.csv"), "goal\nsomething harmful\n");
        Files.writeString(catalogueFile, "name: c\nmodels: {base: model}\ndata:\n  eval: {harmful: [h.csv]}\n");
        StageContext catalogue = context(catalogueFile);
        assertEquals(List.of(), EvalStage.extensionJudges(catalogue, catalogue.study().eval()));
    }

    private StageContext context(Path studyFile) throws IOException {
        return new StageContext(StudyFile.read(studyFile), tmp.resolve("out-" + studyFile.getFileName()), Console.silent(),
                new Provenance(List.of(), "test"), ai.djl.Device::cpu);
    }
}
