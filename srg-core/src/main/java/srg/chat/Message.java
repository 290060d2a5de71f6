package srg.chat;

import java.util.Objects;

/**
 * One chat message in the OpenAI {@code messages} shape: {@code {"role": ..., "content": ...}}.
 *
 * <p>Roles are the usual {@code system}, {@code user} and {@code assistant}; other roles
 * (e.g. {@code tool}) pass through untouched to chat templates and HTTP servers.
 */
public record Message(String role, String content) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static Message system(String content) {
        return new Message(SYSTEM, content);
    }

    public static Message user(String content) {
        return new Message(USER, content);
    }

    public static Message assistant(String content) {
        return new Message(ASSISTANT, content);
    }
}
