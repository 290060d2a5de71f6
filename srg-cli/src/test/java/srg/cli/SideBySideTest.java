package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.TorchThreads;
import srg.io.FileTrees;

/**
 * Training side by side: the SRG model trains in a second process (`srg study run --stage
 * train-srg`, holding no lock of its own under its parent's) while the first trains RT and
 * evaluates the base and RT; the study's files are those of the stages one after the other, and
 * the second process starts only where there is work to put beside it.
 */
class SideBySideTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void srgTrainsInASecondProcessAndTheFiguresAreThoseOfOneStageAfterTheOther() throws Exception {
        int threads = TorchThreads.count();
        assumeTrue(threads == 2, "the console lines below are those of two libtorch threads");
        Path beside = tmp.resolve("beside");
        CliRun run = CliRun.of("quickstart", "--smoke", "--seed", "5", "--n", "2", "--out", beside.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("train-srg: making models/srg/ in a second process beside this one (1 of 2 threads there, 1 here"),
                run.err());
        assertTrue(run.err().contains("eval: evaluating base, rt in eval.partial/ while train-srg runs beside"), run.err());
        assertTrue(run.err().contains("eval: resuming the unfinished work in eval.partial/"), run.err());
        Path log = beside.resolve("beside/train-srg.log");
        String console = Files.readString(log);
        assertTrue(console.contains("--stage train-srg") && console.contains("train-srg: making models/srg/"), console);
        assertEquals(threads, TorchThreads.count(), "this process has its threads back");
        JsonNode record = JSON.readTree(beside.resolve("study.json").toFile());
        for (JsonNode stage : record.path("stages")) {
            assertEquals("run", stage.path("status").asText(), stage.toString());
        }
        // The evaluation's seconds count its part beside the training too.
        JsonNode seconds = JSON.readTree(beside.resolve("report/safetyworld.json").toFile()).path("seconds");
        assertTrue(seconds.path("eval").asDouble() > 0 && seconds.path("train-srg").asDouble() > 0, seconds.toString());

        Path sequential = tmp.resolve("sequential");
        CliRun alone = CliRun.of("quickstart", "--smoke", "--seed", "5", "--n", "2", "--no-side-by-side", "--out",
                sequential.toString());
        assertEquals(0, alone.code(), alone.err());
        assertFalse(alone.err().contains("second process"), alone.err());
        assertFalse(Files.exists(sequential.resolve("beside")));
        // (The models may differ in their last bits: there RT and SRG trained on one thread each, here on two.)
        assertEquals(JSON.readTree(sequential.resolve("report/results.json").toFile()).path("models"),
                JSON.readTree(beside.resolve("report/results.json").toFile()).path("models"), "the same samples, verdicts and figures");
        assertEquals(JSON.readTree(sequential.resolve("report/safetyworld.json").toFile()).path("models"),
                JSON.readTree(beside.resolve("report/safetyworld.json").toFile()).path("models"));

        // A rerun reuses every stage and starts no second process.
        CliRun rerun = CliRun.of("quickstart", "--smoke", "--seed", "5", "--n", "2", "--out", beside.toString());
        assertEquals(0, rerun.code(), rerun.err());
        assertFalse(rerun.err().contains("second process"), rerun.err());
        assertEquals(console, Files.readString(log), "no second run of train-srg");

        // --fresh redoes every stage, but not the evaluation this very run began beside SRG's training.
        CliRun fresh = CliRun.of("quickstart", "--smoke", "--seed", "5", "--n", "2", "--fresh", "--out", beside.toString());
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("train-srg: making models/srg/ in a second process"), fresh.err());
        assertTrue(fresh.err().contains("eval: resuming the unfinished work in eval.partial/"), fresh.err());
        assertTrue(Files.readString(log).contains("--stage train-srg --fresh"), Files.readString(log));
        assertEquals(JSON.readTree(sequential.resolve("report/results.json").toFile()).path("models"),
                JSON.readTree(beside.resolve("report/results.json").toFile()).path("models"));
        console = Files.readString(log);

        // With only the SRG model to make and nothing to do beside it, it trains here.
        FileTrees.deleteTree(beside.resolve("models/srg"));
        CliRun onlySrg = CliRun.of("quickstart", "--smoke", "--seed", "5", "--n", "2", "--out", beside.toString());
        assertEquals(0, onlySrg.code(), onlySrg.err());
        assertFalse(onlySrg.err().contains("second process"), onlySrg.err());
        assertTrue(onlySrg.err().contains("train-srg: making models/srg/"), onlySrg.err());
        assertTrue(Files.isRegularFile(beside.resolve("models/srg/model.safetensors")));
        assertTrue(onlySrg.err().contains("eval: reusing eval/"), onlySrg.err());
        assertEquals(console, Files.readString(log), "no second process");

        aStageOnItsOwn(beside);
    }

    /** srg study run --stage: the stage asked for and nothing else, or an error naming the stages. */
    private static void aStageOnItsOwn(Path out) throws Exception {
        Path file = out.resolve("report/study.yaml");
        CliRun unknown = CliRun.of("study", "run", file.toString(), "--out", out.toString(), "--stage", "train");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("the study has no stage 'train'; its stages: world, base, decode, train-rt, train-srg,"
                + " eval, probe, report"), unknown.err());
        // The stage alone is reused where it is made, and redone with --fresh; the others stay as they are.
        CliRun reuse = CliRun.of("study", "run", file.toString(), "--out", out.toString(), "--stage", "train-rt");
        assertEquals(0, reuse.code(), reuse.err());
        assertTrue(reuse.out().matches("(?s).*train-rt\\s+models/rt/\\s+reuse.*"), reuse.out());
        String evalBefore = Files.readString(out.resolve("eval/study-fingerprint.txt"));
        String rt = md5(out.resolve("models/rt/model.safetensors"));
        CliRun redo = CliRun.of("study", "run", file.toString(), "--out", out.toString(), "--stage", "train-rt", "--fresh");
        assertEquals(0, redo.code(), redo.err());
        Matcher m = Pattern.compile("train-rt\\s+models/rt/\\s+(\\w+)").matcher(redo.out());
        assertTrue(m.find(), redo.out());
        assertEquals("redo", m.group(1));
        assertEquals(rt, md5(out.resolve("models/rt/model.safetensors")), "the same inputs make the same model");
        assertEquals(evalBefore, Files.readString(out.resolve("eval/study-fingerprint.txt")), "only the stage asked for");
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }
}
