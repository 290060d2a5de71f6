package srg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A setting error reads right with settings named as core knows them, as flags, and as study keys. */
class SettingErrorTest {

    private static final UnaryOperator<String> FLAG = s -> "--" + s.replace('_', '-');

    @Test
    void eachShapeNamesItsSettingsAsTheUserKnowsThem() {
        SettingError value = SettingError.of("max_seq_len", "must be at least 1, got 0");
        assertEquals("max_seq_len: must be at least 1, got 0", value.getMessage());
        assertEquals("--max-seq-len: must be at least 1, got 0", value.message(FLAG));
        assertEquals("max_seq_len", value.setting());

        SettingError hint = SettingError.hint("the model has 4 layers", "layers", "takes 0 to 4");
        assertEquals("the model has 4 layers (--layers takes 0 to 4)", hint.message(FLAG));

        SettingError naming = SettingError.naming("{out} runs/x holds a {behavior} file; pass {force} or choose another {out}",
                "out", "force");
        assertEquals("out runs/x holds a {behavior} file; pass force or choose another out", naming.getMessage());
        assertEquals("--out runs/x holds a {behavior} file; pass --force or choose another --out", naming.message(FLAG));
        assertEquals("eval.out runs/x holds a {behavior} file; pass eval.force or choose another eval.out",
                naming.message(s -> "eval." + s));
        assertEquals("out", naming.setting());
    }

    @Test
    void aSentenceMustNameEverySettingItClaims() {
        assertThrows(IllegalArgumentException.class, () -> SettingError.naming("pass --force", "force"));
    }
}
