package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.io.ContentHash;
import srg.world.PretrainingCorpus;
import srg.world.SafetyData;
import srg.world.World;
import srg.world.WorldConfig;
import srg.world.WorldGenerator;

/**
 * The world's files key the stages that read them by content, so a change to what the world writes
 * redoes exactly the stages whose inputs changed (and never reuses a model trained on stale data).
 */
class WorldFilesTest {

    private static final World WORLD = WorldGenerator.generate(WorldConfig.smoke(5));
    private static final PretrainingCorpus CORPUS = PretrainingCorpus.build(WORLD);

    private static WorldFiles files(SafetyData.Recipe recipe) throws IOException {
        return WorldFiles.of(WORLD, CORPUS, recipe);
    }

    @Test
    void eachStageIsKeyedByTheFilesItReads() throws IOException {
        WorldFiles standard = files(SafetyData.Recipe.STANDARD);
        assertEquals(standard.contentHash(), files(SafetyData.Recipe.STANDARD).contentHash(), "deterministic");
        assertNotEquals(standard.trainingHash(false), standard.trainingHash(true), "RT and SRG read different data");

        // One replay pass instead of four: both trainings read other files; the base, the evaluation
        // and the probe read the same ones.
        WorldFiles lessReplay = files(SafetyData.Recipe.STANDARD.withReplayPasses(1));
        assertNotEquals(standard.trainingHash(false), lessReplay.trainingHash(false));
        assertNotEquals(standard.trainingHash(true), lessReplay.trainingHash(true));
        assertNotEquals(standard.contentHash(), lessReplay.contentHash());
        assertEquals(standard.corpusHash(), lessReplay.corpusHash());
        assertEquals(standard.evalHash(), lessReplay.evalHash());

        // Validation substances move examples out of both trainings' data.
        WorldFiles validation = files(SafetyData.Recipe.STANDARD.withValidationSubstances(2));
        assertNotEquals(standard.trainingHash(false), validation.trainingHash(false));
        assertNotEquals(standard.trainingHash(true), validation.trainingHash(true));
        assertEquals(standard.evalHash(), validation.evalHash());
    }

    @Test
    void theHashesAreOfWhatIsWritten(@TempDir Path dir) throws IOException {
        WorldFiles files = files(SafetyData.Recipe.STANDARD.withValidationSubstances(1));
        files.write(dir);
        for (boolean reasoning : new boolean[] {false, true}) {
            List<String> parts = new ArrayList<>();
            for (String name : reasoning ? List.of(WorldFiles.SRG, WorldFiles.SRG_VALIDATION, WorldFiles.REPLAY)
                    : List.of(WorldFiles.RT, WorldFiles.RT_VALIDATION, WorldFiles.REPLAY)) {
                parts.add(name);
                parts.add(Files.readString(dir.resolve(name)));
            }
            assertEquals(ContentHash.of(parts), files.trainingHash(reasoning), reasoning ? "SRG" : "RT");
        }
        assertEquals(ContentHash.of(List.of(Files.readString(dir.resolve(WorldFiles.EVAL_HARMFUL)),
                Files.readString(dir.resolve(WorldFiles.EVAL_BENIGN)))), files.evalHash());
        assertTrue(Files.readString(dir.resolve(WorldFiles.SRG)).contains("knowledge : to make"));
        // Without validation substances there is no validation file, and none is written.
        Path plain = dir.resolve("plain");
        files(SafetyData.Recipe.STANDARD).write(plain);
        assertFalse(Files.exists(plain.resolve(WorldFiles.RT_VALIDATION)));
    }
}
