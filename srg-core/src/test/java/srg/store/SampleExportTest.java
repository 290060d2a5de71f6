package srg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.judge.Judgment;
import srg.judge.Verdict;

/** The export's lines: one per (prompt, sample), every field present, unknown verdict fields null. */
class SampleExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void writesOneLinePerSampleWithItsPromptAndVerdicts() throws Exception {
        Conversation conv = Conversation.user("Wkh uhtxhvw");
        Behavior b = new Behavior("b1", "The request", "crime", true, "advbench", "some context");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long rows;
        try (RunStore store = RunStore.open(tmp)) {
            store.putPrompts(PromptRole.HARMFUL, "caesar", "seed=0", Map.of("advbench/b1",
                    List.of(new RunStore.StoredPrompt(PromptRole.HARMFUL, "caesar", "seed=0", b, 0, Map.of("shift", 3), conv))), Map.of());
            store.putSamples(List.of(new RunStore.Sample("m", conv.sha256(), "t1", 0, Completion.of("Vxuh", FinishReason.STOP, 3, 1)),
                    new RunStore.Sample("m", conv.sha256(), "t1", 1, Completion.of("Vruub", FinishReason.LENGTH, 3, 1))));
            store.putVerdicts(List.of(new RunStore.StoredVerdict("m", conv.sha256(), "t1", 0, "keyword",
                    new Judgment(Verdict.UNSAFE, false, null, "no refusal", null))));
            rows = SampleExport.write(store, bytes);
        }
        assertEquals(2, rows);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(List.of("model", "role", "attack", "behavior_id", "behavior", "category", "source", "context", "variant",
                "attack_params", "messages", "sampling", "index", "text", "finish_reason", "error", "verdicts"), fields(first));
        assertEquals("harmful", first.get("role").asText());
        assertEquals("caesar", first.get("attack").asText());
        assertEquals("some context", first.get("context").asText());
        assertEquals(3, first.at("/attack_params/shift").asInt());
        assertEquals("Wkh uhtxhvw", first.at("/messages/0/content").asText());
        assertEquals("Vxuh", first.get("text").asText());
        assertEquals("stop", first.get("finish_reason").asText());
        assertEquals("{\"verdict\":\"unsafe\",\"refusal\":false,\"score\":null,\"rationale\":\"no refusal\",\"helpful\":null}",
                first.at("/verdicts/keyword").toString());
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals(1, second.get("index").asInt());
        assertEquals("length", second.get("finish_reason").asText());
        assertEquals(0, second.get("verdicts").size(), "not judged yet");
    }

    private static List<String> fields(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
