package srg.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import srg.UserError;

class LayerSelectionTest {

    @Test
    void parsesAllListsAndRanges() {
        assertTrue(LayerSelection.parse("all").all());
        assertEquals(List.of(0, 3, 4, 5, 9), LayerSelection.parse("9, 3-5,0,4").layers());
        assertArrayEquals(new int[] {0, 1, 2, 3}, LayerSelection.parse("all").resolve(3));
    }

    @Test
    void namesTheSettingOnBadInput() {
        UserError e = assertThrows(UserError.class, () -> LayerSelection.parse("1,x"));
        assertTrue(e.getMessage().startsWith("layers: "), e.getMessage());
        assertThrows(UserError.class, () -> LayerSelection.parse("5-2"));
        UserError tooDeep = assertThrows(UserError.class, () -> LayerSelection.parse("0,7").resolve(6));
        assertTrue(tooDeep.getMessage().contains("0..6"), tooDeep.getMessage());
        assertThrows(UserError.class, () -> LayerSelection.parse("2").select(List.of(0, 1), "model m"));
    }
}
