package srg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class YamlFileTest {

    @TempDir
    Path tmp;

    @Test
    void syntaxErrorsAreOneLineWithTheLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("g.yaml"), "name: g\nguidelines: [unclosed\n");
        UserError e = assertThrows(UserError.class, () -> YamlFile.read(f));
        assertEquals(f + ":3: malformed YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence)", e.getMessage());
        UserError tab = assertThrows(UserError.class, () -> YamlFile.parse("a:\n\tb: 1\n", "t.yaml"));
        assertEquals(1, tab.getMessage().lines().count(), tab.getMessage());
        assertEquals("t.yaml:2: malformed YAML", tab.getMessage().substring(0, "t.yaml:2: malformed YAML".length()));
    }

    @Test
    void readsYamlAndJson() throws Exception {
        assertEquals(2, YamlFile.parse("[{\"a\": 1}, {\"a\": 2}]", "x.json").size());
        assertEquals("v", YamlFile.parse("k: v\n", "x.yaml").get("k").asText());
    }
}
