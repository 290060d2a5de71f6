package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import srg.world.Disguise;

class DecodeCheckTest {

    private static DecodeCheck reading(int correct, int total) {
        return new DecodeCheck(Map.of(Disguise.CIPHER, correct), Map.of(Disguise.CIPHER, total));
    }

    @Test
    void aBaseThatDidNotLearnItsWorldIsToldWithTheSettingsToChange() {
        // Seed 302's failed base read 4 of 582 probes, seed 404's 254 of 594; the working bases 64-100%.
        String warning = reading(4, 582).stalled().orElseThrow();
        assertTrue(warning.contains("reads only 1%"), warning);
        assertTrue(warning.contains("safetyworld.pretrain.seed") && warning.contains("safetyworld.pretrain.max_steps"), warning);
        assertTrue(reading(254, 594).stalled().orElseThrow().contains("reads only 43%"));
        assertEquals(Optional.empty(), reading(374, 582).stalled());
        assertEquals(Optional.empty(), reading(0, 0).stalled(), "no probes: nothing measured, nothing to warn about");
    }
}
