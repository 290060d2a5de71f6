package srg.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import srg.SettingError;
import srg.chat.Conversation;

/**
 * The chat-data layouts that fine-tuning tools read, one JSON object per conversation:
 *
 * <ul>
 *   <li>{@code openai}: {@code {"messages": [{"role": "user", "content": "..."}, ...]}} (OpenAI
 *       fine-tuning, TRL's conversational format, Axolotl's {@code chat_template} type);
 *   <li>{@code sharegpt}: {@code {"conversations": [{"from": "human", "value": "..."}, ...]}}
 *       (LLaMA-Factory and Axolotl's ShareGPT layout);
 *   <li>{@code alpaca}: {@code {"instruction": ..., "input": ..., "output": ...}} with optional
 *       {@code system} and {@code history} (LLaMA-Factory, Axolotl's {@code alpaca} type).
 * </ul>
 */
public enum SftFormat {
    OPENAI("openai", "\"messages\""),
    SHAREGPT("sharegpt", "\"conversations\""),
    ALPACA("alpaca", "\"instruction\" and \"output\"");

    private final String wireName;
    private final String keys;

    SftFormat(String wireName, String keys) {
        this.wireName = wireName;
        this.keys = keys;
    }

    public String wireName() {
        return wireName;
    }

    /** The keys that identify a record of this format, for error messages. */
    String identifyingKeys() {
        return keys;
    }

    public static SftFormat parse(String name) {
        for (SftFormat f : values()) {
            if (f.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw SettingError.of("format", "unknown format \"" + name + "\" (known: openai, sharegpt, alpaca)");
    }

    /** The format a record is in, judged by its keys; null when none fits. */
    public static SftFormat detect(JsonNode record) {
        if (record == null || !record.isObject()) {
            return null;
        }
        if (record.has("messages")) {
            return OPENAI;
        }
        if (record.has("conversations")) {
            return SHAREGPT;
        }
        if (record.has("instruction") && record.has("output")) {
            return ALPACA;
        }
        return null;
    }

    /**
     * The conversation a record holds.
     *
     * @throws BadRecord naming the field at fault (the caller adds file and line)
     */
    public Conversation read(JsonNode record) {
        return switch (this) {
            case OPENAI -> OpenAiFormat.read(record);
            case SHAREGPT -> ShareGptFormat.read(record);
            case ALPACA -> AlpacaFormat.read(record);
        };
    }

    /**
     * The record for a conversation.
     *
     * @throws BadRecord when the conversation cannot be expressed in this format
     */
    public ObjectNode write(Conversation conversation) {
        return switch (this) {
            case OPENAI -> OpenAiFormat.write(conversation);
            case SHAREGPT -> ShareGptFormat.write(conversation);
            case ALPACA -> AlpacaFormat.write(conversation);
        };
    }

    /** A record that does not hold a usable conversation; the message names the field. */
    public static final class BadRecord extends RuntimeException {
        public BadRecord(String message) {
            super(message);
        }
    }
}
