package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * srg quickstart --seeds with --jobs: each lane's command carries the whole plan, and seeds run as
 * lanes give the figures of a seed run on its own.
 */
class SeedLanesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static QuickstartCommand parse(List<String> args) {
        QuickstartCommand command = new QuickstartCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command;
    }

    @Test
    void aLaneRunsTheSamePlanForItsSeed() {
        QuickstartCommand all = parse(List.of("--seeds", "1-3", "--jobs", "2", "--n", "4", "--mixture", "no-seen-forms", "--replay-passes", "2",
                "--safety-epochs", "3", "--safety-lr", "2e-4", "--early-stopping", "2", "--freeze-embeddings", "--layers", "2",
                "--hidden-size", "64", "--hazards-per-kind", "12", "--harmless-per-kind", "8", "--hazard-signs", "--name-in-trace", "once", "--half-detection",
                "--pretrain-steps", "900", "--rt-anchor-decay", "1.5", "--srg-anchor-decay", "0.5", "--anchor-importance", "fisher", "--fresh",
                "--no-side-by-side", "--out", "runs/x"));
        Path dir = Path.of("runs/x/seed-2");
        List<String> laneArgs = all.laneArgs(2, dir);
        assertEquals("quickstart", laneArgs.get(0));
        QuickstartCommand lane = parse(tail(laneArgs));
        assertEquals(all.choices(), lane.choices(), "the same plan");
        assertEquals(2, lane.seed);
        assertEquals(dir, lane.out);
        assertNull(lane.seeds, "a lane runs one seed");
        assertEquals(1, lane.jobs);
        assertTrue(lane.fresh);
        assertFalse(lane.sideBySide);
        // Every option of quickstart reaches the lane (the command above gives each one), but those that
        // choose the seeds and the folder.
        QuickstartCommand smoke = parse(List.of("--seeds", "1,2", "--jobs", "2", "--smoke", "--device", "cpu"));
        assertTrue(parse(tail(smoke.laneArgs(1, dir))).smoke, "--smoke");
        for (CommandLine.Model.OptionSpec option : new CommandLine(new QuickstartCommand()).getCommandSpec().options()) {
            String name = option.longestName();
            if (List.of("--seeds", "--jobs", "--seed", "--out", "--help", "--version", "--smoke").contains(name)) {
                continue;
            }
            String negated = "--no-" + name.substring(2);
            assertTrue(laneArgs.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "=") || option.negatable() && a.equals(negated)),
                    name + " is not passed to a lane: add it to QuickstartCommand.laneArgs " + laneArgs);
        }
        QuickstartCommand known = parse(List.of("--seeds", "1,2", "--jobs", "2", "--freeze-embeddings", "known"));
        assertEquals(known.choices(), parse(tail(known.laneArgs(1, dir))).choices(), "freeze_embeddings known");
    }

    private static List<String> tail(List<String> args) {
        return args.subList(1, args.size());
    }

    @Test
    void seedsLeftOverFromWholeRoundsRunFirstWithAllTheCores() {
        SeedLanes two = new SeedLanes(2, 2, new PrintWriter(new StringWriter()));
        assertEquals(1, two.firstAlone(5));
        assertEquals(List.of(2, 1, 1, 1, 1), IntStream.range(0, 5).map(i -> two.threads(i, 5)).boxed().toList());
        assertEquals("5 seeds: the first one by itself with 2 threads, then 4 in 2 lanes of 1 thread", two.describe(5));
        assertEquals(0, two.firstAlone(4));
        assertEquals("4 seeds in 2 lanes of 1 thread", two.describe(4));
        SeedLanes three = new SeedLanes(3, 8, new PrintWriter(new StringWriter()));
        assertEquals(List.of(4, 4, 2, 2, 2), IntStream.range(0, 5).map(i -> three.threads(i, 5)).boxed().toList());
        assertEquals("5 seeds: the first 2 by themselves with 4 threads, then 3 in 3 lanes of 2 threads", three.describe(5));
    }

    @Test
    void jobsNeedSeveralSeeds() {
        CliRun noSeeds = CliRun.of("quickstart", "--smoke", "--jobs", "2", "--out", tmp.resolve("a").toString());
        assertEquals(2, noSeeds.code());
        assertTrue(noSeeds.err().contains("--jobs") && noSeeds.err().contains("--seeds"), noSeeds.err());
        CliRun zero = CliRun.of("quickstart", "--smoke", "--seeds", "1,2", "--jobs", "0", "--out", tmp.resolve("b").toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--jobs must be at least 1"), zero.err());
    }

    @Test
    void seedsInLanesGiveTheFiguresOfASeedRunAlone() throws Exception {
        Path lanes = tmp.resolve("lanes");
        CliRun both = CliRun.of("quickstart", "--smoke", "--n", "2", "--seeds", "3,4", "--jobs", "2", "--out", lanes.toString());
        assertEquals(0, both.code(), both.err());
        assertTrue(both.err().contains("2 seeds in 2 lanes"), both.err());
        assertTrue(both.err().contains("seed 4: done in"), both.err());
        for (long s : new long[] {3, 4}) {
            assertTrue(Files.readString(lanes.resolve("seed-" + s + ".log")).contains("report"), "seed " + s + "'s console");
        }
        assertTrue(Files.isRegularFile(lanes.resolve("seeds.md")));
        assertEquals(2, JSON.readTree(lanes.resolve("seeds.json").toFile()).path("seeds").size());

        Path alone = tmp.resolve("alone");
        CliRun one = CliRun.of("quickstart", "--smoke", "--n", "2", "--seed", "4", "--out", alone.toString());
        assertEquals(0, one.code(), one.err());
        JsonNode inLane = JSON.readTree(lanes.resolve("seed-4/report/results.json").toFile());
        JsonNode byItself = JSON.readTree(alone.resolve("report/results.json").toFile());
        assertEquals(byItself.path("models"), inLane.path("models"), "the same samples, verdicts and figures");
    }
}
