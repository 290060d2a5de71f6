package srg.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import srg.chat.Conversation;
import srg.engine.tokenizer.ChatTemplate;
import srg.engine.tokenizer.Tokenizer;

/**
 * srg's token ids equal transformers' for every prompt of the shared datasets, with both shared
 * tokenizers ({@code add_special_tokens=False}); for every tenth prompt also as a model sees it,
 * rendered with the chat template and the generation prompt ({@code apply_chat_template} with
 * {@code tokenize=True}).
 */
class TokenizerParityIT {

    @Test
    void everyDatasetPromptTokenizesAsTransformersDoes() throws IOException {
        Reference ref = Reference.get();
        Map<Integer, String> texts = new HashMap<>();
        for (String line : Files.readAllLines(ref.work().resolve("inputs").resolve("prompts.jsonl"))) {
            JsonNode p = Reference.JSON.readTree(line);
            texts.put(p.get("id").asInt(), p.get("text").asText());
        }
        List<String> mismatches = new ArrayList<>();
        StringBuilder summary = new StringBuilder("parity: token ids equal to transformers':");
        for (Map.Entry<String, JsonNode> e : ref.manifest().get("tokens").properties()) {
            String name = e.getKey();
            int raw = 0;
            int chat = 0;
            int chats = 0;
            int total = 0;
            try (Tokenizer tokenizer = Tokenizer.load(Reference.shared().resolve("tokenizers").resolve(name))) {
                ChatTemplate template = ChatTemplate.of(tokenizer.info(), name);
                for (String line : Files.readAllLines(Path.of(e.getValue().asText()))) {
                    JsonNode r = Reference.JSON.readTree(line);
                    String text = texts.get(r.get("id").asInt());
                    total++;
                    if (Arrays.equals(Reference.ids(r.get("raw")), tokenizer.encode(text))) {
                        raw++;
                    } else {
                        mismatches.add(name + " text " + Reference.JSON.writeValueAsString(text));
                    }
                    if (r.has("chat")) {
                        chats++;
                        long[] srgChat = tokenizer.encode(template.render(Conversation.user(text), true));
                        if (Arrays.equals(Reference.ids(r.get("chat")), srgChat)) {
                            chat++;
                        } else {
                            mismatches.add(name + " chat prompt of " + Reference.JSON.writeValueAsString(text));
                        }
                    }
                }
            }
            summary.append(String.format(" %s %d/%d texts, %d/%d chat prompts;", name, raw, total, chat, chats));
            assertTrue(total == texts.size(), name + ": the reference tokenized " + total + " of " + texts.size()
                    + " prompts");
        }
        System.out.println(summary);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " differ, e.g.\n" + String.join("\n",
                mismatches.subList(0, Math.min(10, mismatches.size()))));
    }
}
