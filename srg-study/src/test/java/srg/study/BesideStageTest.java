package srg.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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

/** A stage made in a child process: what the child is given, its failure told with its console, a stop that ends it. */
class BesideStageTest {

    @TempDir
    Path tmp;

    private StageContext context() {
        StudyFile.Located study = StudyFile.parse("name: t\nmodels: {base: sim:refuse=0.5}\ndata: {eval: {harmful: [h.csv]}}\n",
                tmp.resolve("study.yaml"));
        return new StageContext(study, tmp.resolve("out"), Console.silent(), new Provenance(List.of(), "test"), Device::cpu);
    }

    private static final Stage STAGE = new Stage("train-srg", "models/srg", "training.srg") {
        @Override
        public List<String> inputs(StageContext ctx) {
            return List.of();
        }

        @Override
        public void run(StageContext ctx, Path dir, boolean resuming) {}
    };

    /** Starts a shell script in place of srg; records the requests. */
    private static StageLauncher shell(String script, List<StageLauncher.Request> requests) {
        return request -> {
            requests.add(request);
            return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(request.log().toFile())).start();
        };
    }

    @Test
    void theChildGetsTheStudyAndAFailureEndsWithItsConsole() throws IOException {
        List<StageLauncher.Request> requests = new ArrayList<>();
        StageContext ctx = context();
        try (BesideStage child = BesideStage.start(shell("echo 'train-srg: the data is bad'; exit 3", requests), ctx, STAGE, true, 1)) {
            UserError e = assertThrows(UserError.class, child::await);
            assertTrue(e.getMessage().startsWith("train-srg: its second process failed (exit code 3)"), e.getMessage());
            assertTrue(e.getMessage().contains("    train-srg: the data is bad"), e.getMessage());
            assertTrue(e.getMessage().contains(child.log().toString()), e.getMessage());
        }
        StageLauncher.Request r = requests.get(0);
        assertEquals(List.of("train-srg", true, 1), List.of(r.stage(), r.fresh(), r.threads()));
        assertEquals(tmp.resolve("out/beside/train-srg.log"), r.log());
        // The study the child reads is this one, written out.
        assertEquals(ctx.study().name(), StudyFile.read(r.studyFile()).study().name());
        assertEquals(tmp.resolve("out"), r.out());
    }

    @Test
    void closingStopsAChildStillRunning() throws Exception {
        List<StageLauncher.Request> requests = new ArrayList<>();
        Path marker = tmp.resolve("stopped");
        // The child writes the marker when asked to stop (SIGTERM), as srg saves its checkpoint.
        BesideStage child = BesideStage.start(shell("trap 'touch " + marker + "; exit 143' TERM; echo ready;"
                + " while true; do sleep 0.1; done", requests), context(), STAGE, false, 1);
        for (int i = 0; i < 200 && !Files.readString(child.log()).contains("ready"); i++) {
            Thread.sleep(50); // until the shell has set its trap
        }
        long t = System.nanoTime();
        child.close();
        assertTrue(Files.exists(marker), "the child was asked to stop");
        assertTrue((System.nanoTime() - t) / 1e9 < 30, "and ended well before it would have been killed");
    }
}
