package srg.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.tokenizer.ChatTemplate;
import srg.engine.tokenizer.TokenizerInfo;

/**
 * srg renders chat templates (jinjava) exactly as transformers' {@code apply_chat_template}
 * (Jinja2) does, for both shared tokenizers over a grid: with and without a system message, one
 * or several turns, ending with the user or the assistant, assistant content with and without
 * think tags, with and without the generation prompt (and Qwen3's {@code enable_thinking=False}).
 */
class ChatTemplateParityIT {

    @Test
    void everyRenderingEqualsApplyChatTemplate() throws IOException {
        Reference ref = Reference.get();
        Map<String, ChatTemplate> templates = new HashMap<>();
        Map<String, int[]> counts = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : ref.list("chat_templates")) {
            String name = c.get("tokenizer").asText();
            ChatTemplate template = templates.computeIfAbsent(name, n -> of(n));
            Map<String, Object> extra = new HashMap<>();
            c.get("extra").properties().forEach(e -> extra.put(e.getKey(), e.getValue().isBoolean()
                    ? e.getValue().asBoolean() : e.getValue().asText()));
            String srg = template.render(conversation(c.get("messages")), c.get("add_generation_prompt").asBoolean(),
                    extra);
            String expected = c.get("text").asText();
            int[] n = counts.computeIfAbsent(name, k -> new int[2]);
            n[1]++;
            if (srg.equals(expected)) {
                n[0]++;
            } else {
                mismatches.add(name + " " + c.get("messages") + " gen=" + c.get("add_generation_prompt") + " " + extra
                        + ": first difference at " + firstDifference(expected, srg) + "\n  transformers: "
                        + Reference.JSON.writeValueAsString(expected) + "\n  srg:          "
                        + Reference.JSON.writeValueAsString(srg));
            }
        }
        StringBuilder line = new StringBuilder("parity: chat templates equal to apply_chat_template:");
        counts.forEach((name, n) -> line.append(' ').append(name).append(' ').append(n[0]).append('/').append(n[1]));
        System.out.println(line);
        assertTrue(!counts.isEmpty() && mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static ChatTemplate of(String tokenizer) {
        try {
            return ChatTemplate.of(TokenizerInfo.read(Reference.shared().resolve("tokenizers").resolve(tokenizer)),
                    tokenizer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Conversation conversation(JsonNode messages) {
        List<Message> out = new ArrayList<>();
        messages.forEach(m -> out.add(new Message(m.get("role").asText(), m.get("content").asText())));
        return new Conversation(out);
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
