package srg.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import srg.chat.Conversation;
import srg.chat.Message;

/**
 * ShareGPT: {@code {"conversations": [{"from": "human", "value": ...}, {"from": "gpt", ...}]}},
 * with an optional top-level {@code "system"}. Turns written as {@code role/content} inside
 * {@code conversations} are accepted too, as LLaMA-Factory allows.
 */
final class ShareGptFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The speaker names found in ShareGPT dumps, mapped to chat roles. */
    private static final Map<String, String> ROLES = Map.of(
            "human", Message.USER,
            "user", Message.USER,
            "gpt", Message.ASSISTANT,
            "assistant", Message.ASSISTANT,
            "chatgpt", Message.ASSISTANT,
            "bard", Message.ASSISTANT,
            "bing", Message.ASSISTANT,
            "model", Message.ASSISTANT,
            "system", Message.SYSTEM);

    private ShareGptFormat() {}

    static Conversation read(JsonNode record) {
        JsonNode turns = record.get("conversations");
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            throw new SftFormat.BadRecord("\"conversations\" must be a non-empty array");
        }
        List<Message> out = new ArrayList<>();
        JsonNode system = record.get("system");
        if (system != null && !system.isNull()) {
            if (!system.isTextual()) {
                throw new SftFormat.BadRecord("\"system\" must be a string");
            }
            if (!system.asText().isEmpty()) {
                out.add(Message.system(system.asText()));
            }
        }
        for (int i = 0; i < turns.size(); i++) {
            JsonNode t = turns.get(i);
            String where = "conversations[" + i + "]";
            if (!t.isObject()) {
                throw new SftFormat.BadRecord(where + " must be an object with \"from\" and \"value\"");
            }
            boolean fromValue = t.has("from");
            JsonNode from = t.get(fromValue ? "from" : "role");
            JsonNode value = t.get(fromValue ? "value" : "content");
            String fromKey = where + (fromValue ? ".from" : ".role");
            if (from == null || !from.isTextual()) {
                throw new SftFormat.BadRecord(fromKey + " must be a string");
            }
            String role = ROLES.get(from.asText().toLowerCase(Locale.ROOT));
            if (role == null) {
                throw new SftFormat.BadRecord(fromKey + " \"" + from.asText()
                        + "\" is not supported (use human, gpt or system)");
            }
            if (value == null || !value.isTextual()) {
                throw new SftFormat.BadRecord(where + (fromValue ? ".value" : ".content") + " must be a string");
            }
            out.add(new Message(role, value.asText()));
        }
        return Conversations.requireAssistantTurn(new Conversation(out));
    }

    static ObjectNode write(Conversation c) {
        ObjectNode record = JSON.createObjectNode();
        ArrayNode turns = record.putArray("conversations");
        for (Message m : c.messages()) {
            String from = switch (m.role()) {
                case Message.USER -> "human";
                case Message.ASSISTANT -> "gpt";
                case Message.SYSTEM -> "system";
                default -> throw new SftFormat.BadRecord("role \"" + m.role() + "\" has no ShareGPT name");
            };
            turns.addObject().put("from", from).put("value", m.content());
        }
        return record;
    }
}
