package srg.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import srg.chat.Conversation;
import srg.chat.Message;

/**
 * Alpaca: {@code {"instruction", "input", "output"}}, with the optional {@code "system"} and
 * {@code "history"} ({@code [[user, assistant], ...]} earlier turns) that LLaMA-Factory reads. The
 * user turn is the instruction, then a newline and the input when there is one, as LLaMA-Factory
 * joins them.
 */
final class AlpacaFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlpacaFormat() {}

    static Conversation read(JsonNode record) {
        String instruction = requiredString(record, "instruction");
        String output = requiredString(record, "output");
        String input = optionalString(record, "input");
        String system = optionalString(record, "system");
        List<Message> out = new ArrayList<>();
        if (!system.isEmpty()) {
            out.add(Message.system(system));
        }
        JsonNode history = record.get("history");
        if (history != null && !history.isNull()) {
            if (!history.isArray()) {
                throw new SftFormat.BadRecord("\"history\" must be an array of [user, assistant] pairs");
            }
            for (int i = 0; i < history.size(); i++) {
                JsonNode pair = history.get(i);
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw new SftFormat.BadRecord("history[" + i + "] must be a [user, assistant] pair of strings");
                }
                out.add(Message.user(pair.get(0).asText()));
                out.add(Message.assistant(pair.get(1).asText()));
            }
        }
        out.add(Message.user(input.isEmpty() ? instruction : instruction + "\n" + input));
        out.add(Message.assistant(output));
        return new Conversation(out);
    }

    private static String requiredString(JsonNode record, String key) {
        JsonNode n = record.get(key);
        if (n == null || !n.isTextual()) {
            throw new SftFormat.BadRecord("\"" + key + "\" must be a string");
        }
        return n.asText();
    }

    private static String optionalString(JsonNode record, String key) {
        JsonNode n = record.get(key);
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw new SftFormat.BadRecord("\"" + key + "\" must be a string");
        }
        return n.asText();
    }

    /** Needs an optional system message, then user/assistant pairs, ending with an assistant turn. */
    static ObjectNode write(Conversation c) {
        List<Message> messages = c.messages();
        int start = 0;
        ObjectNode record = JSON.createObjectNode();
        String system = null;
        if (!messages.isEmpty() && messages.get(0).role().equals(Message.SYSTEM)) {
            system = messages.get(0).content();
            start = 1;
        }
        int turns = messages.size() - start;
        if (turns < 2 || turns % 2 != 0) {
            throw new SftFormat.BadRecord("Alpaca needs alternating user/assistant turns ending with the assistant");
        }
        for (int i = start; i < messages.size(); i++) {
            String expected = (i - start) % 2 == 0 ? Message.USER : Message.ASSISTANT;
            if (!messages.get(i).role().equals(expected)) {
                throw new SftFormat.BadRecord("Alpaca needs alternating user/assistant turns; message " + i + " is "
                        + messages.get(i).role());
            }
        }
        record.put("instruction", messages.get(messages.size() - 2).content());
        record.put("input", "");
        record.put("output", messages.get(messages.size() - 1).content());
        if (system != null) {
            record.put("system", system);
        }
        if (turns > 2) {
            ArrayNode history = record.putArray("history");
            for (int i = start; i < messages.size() - 2; i += 2) {
                history.addArray().add(messages.get(i).content()).add(messages.get(i + 1).content());
            }
        }
        return record;
    }
}
