package srg.chat;

import java.util.ArrayList;
import java.util.List;
import srg.io.ContentHash;

/** An ordered list of messages, as sent to a chat model. Immutable. */
public record Conversation(List<Message> messages) {

    public Conversation {
        messages = List.copyOf(messages);
    }

    public static Conversation of(Message... messages) {
        return new Conversation(List.of(messages));
    }

    /** A single user turn. */
    public static Conversation user(String prompt) {
        return of(Message.user(prompt));
    }

    /** An optional system prompt (null or blank means none) followed by a user turn. */
    public static Conversation of(String system, String user) {
        List<Message> out = new ArrayList<>(2);
        if (system != null && !system.isBlank()) {
            out.add(Message.system(system));
        }
        out.add(Message.user(user));
        return new Conversation(out);
    }

    public Conversation append(Message message) {
        List<Message> out = new ArrayList<>(messages);
        out.add(message);
        return new Conversation(out);
    }

    /** The content of the last user message, or the empty string when there is none. */
    public String lastUserContent() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals(Message.USER)) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /**
     * A stable content hash (SHA-256, hex) of roles and contents. Used as the key of samples in
     * the run store, so it must never change for the same messages.
     */
    public String sha256() {
        // Role, content, role, content...: ContentHash length-prefixes each, so ("ab","c") and ("a","bc") differ.
        List<String> parts = new ArrayList<>(2 * messages.size());
        for (Message m : messages) {
            parts.add(m.role());
            parts.add(m.content());
        }
        return ContentHash.of(parts);
    }
}
