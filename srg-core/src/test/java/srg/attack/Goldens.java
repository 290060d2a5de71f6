package srg.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.chat.Conversation;
import srg.chat.Message;

/**
 * Golden files under {@code src/test/resources/srg/attack/golden}: the expected output of an
 * attack for fixed inputs, reviewed by hand against the published format. Run the tests with
 * {@code -Dsrg.updateGoldens=true} to rewrite them after an intended change, then review the diff.
 */
public final class Goldens {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Path DIR = Path.of("src/test/resources/srg/attack/golden");

    private Goldens() {}

    /** Compares {@code value}, as JSON, with the golden file of this name. */
    public static void check(String name, Object value) throws IOException {
        String file = name.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
        String actual = JSON.writeValueAsString(value) + "\n";
        if (Boolean.getBoolean("srg.updateGoldens")) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(file), actual, StandardCharsets.UTF_8);
            return;
        }
        try (var in = Goldens.class.getResourceAsStream("golden/" + file)) {
            if (in == null) {
                fail("no golden file " + file + "; run with -Dsrg.updateGoldens=true and review it");
            }
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden " + file);
        }
    }

    /** A prompt as plain maps, in the shape srg attack writes. */
    public static Map<String, Object> json(AttackedPrompt p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("behavior_id", p.behaviorId());
        m.put("attack", p.attack());
        m.put("params", p.params());
        m.put("messages", messages(p.conversation()));
        return m;
    }

    public static List<Map<String, String>> messages(Conversation c) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Message m : c.messages()) {
            out.add(Map.of("role", m.role(), "content", m.content()));
        }
        return out;
    }
}
