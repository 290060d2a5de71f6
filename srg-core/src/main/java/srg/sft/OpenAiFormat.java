package srg.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.chat.Conversation;
import srg.chat.Message;

/** {@code {"messages": [{"role", "content"}, ...]}}, the OpenAI chat fine-tuning layout. */
final class OpenAiFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiFormat() {}

    static Conversation read(JsonNode record) {
        JsonNode messages = record.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new SftFormat.BadRecord("\"messages\" must be a non-empty array");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw new SftFormat.BadRecord(where + " must be an object with \"role\" and \"content\"");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw new SftFormat.BadRecord(where + ".role must be a string");
            }
            String r = role.asText().equals("developer") ? Message.SYSTEM : role.asText();
            if (!Conversations.knownRole(r)) {
                throw new SftFormat.BadRecord(where + ".role \"" + role.asText()
                        + "\" is not supported (use system, user or assistant)");
            }
            // OpenAI's "weight": 0 marks an assistant turn to leave out of the loss; srg trains on
            // every assistant turn, so refuse rather than silently train on it.
            JsonNode weight = m.get("weight");
            if (weight != null && weight.isNumber() && weight.asDouble() == 0) {
                throw new SftFormat.BadRecord(where + ".weight 0 is not supported (srg trains on every assistant turn)");
            }
            out.add(new Message(r, content(m.get("content"), where + ".content")));
        }
        return Conversations.requireAssistantTurn(new Conversation(out));
    }

    /** A string, or OpenAI's list of content parts of which only text parts are allowed. */
    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.path("type").asText().equals("text") || !part.path("text").isTextual()) {
                    throw new SftFormat.BadRecord(where + ": only text parts ({\"type\": \"text\", \"text\": ...}) are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new SftFormat.BadRecord(where + " must be a string");
    }

    static ObjectNode write(Conversation c) {
        ObjectNode record = JSON.createObjectNode();
        ArrayNode messages = record.putArray("messages");
        for (Message m : c.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        return record;
    }
}
