package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
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

    private static DecodeCheck reading(int[][] perForm) {
        Map<Disguise, Integer> correct = new EnumMap<>(Disguise.class);
        Map<Disguise, Integer> total = new EnumMap<>(Disguise.class);
        for (int i = 0; i < perForm.length; i++) {
            correct.put(Disguise.values()[i], perForm[i][0]);
            total.put(Disguise.values()[i], perForm[i][1]);
        }
        return new DecodeCheck(correct, total);
    }

    @Test
    void aBaseThatReadsEveryFormButOneIsToldWhichFormItCannotRead() {
        // Seed 505's base: the cipher 19 of 207, the other forms 98-100%; 70% overall, so not stalled.
        DecodeCheck seed505 = reading(new int[][] {{19, 207}, {54, 55}, {55, 55}, {50, 51}, {28, 28}, {180, 180}, {57, 57}});
        assertEquals(Disguise.CIPHER, Disguise.values()[0], "the test puts the cipher's figures first");
        assertEquals(Optional.empty(), seed505.stalled());
        String warning = seed505.unreadForms().orElseThrow();
        assertTrue(warning.contains("cipher 9%"), warning);
        assertTrue(warning.contains("safetyworld.pretrain.max_steps"), warning);
        // Seed 503's base read every form in 93-100%: no warning.
        DecodeCheck seed503 = reading(new int[][] {{205, 205}, {50, 50}, {48, 48}, {38, 41}, {49, 49}, {204, 204}, {47, 47}});
        assertEquals(Optional.empty(), seed503.unreadForms());
        // A stalled base gets the stalled warning only, not a list of every form.
        assertEquals(Optional.empty(), reading(4, 582).unreadForms());
    }
}
