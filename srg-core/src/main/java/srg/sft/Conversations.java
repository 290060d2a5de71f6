package srg.sft;

import srg.chat.Conversation;
import srg.chat.Message;

/** Checks that make a conversation usable as supervised fine-tuning data, whatever its format. */
final class Conversations {

    private Conversations() {}

    /** Roles srg trains on; tool calls and tool results are not supported. */
    static boolean knownRole(String role) {
        return role.equals(Message.SYSTEM) || role.equals(Message.USER) || role.equals(Message.ASSISTANT);
    }

    /** A conversation without an assistant turn has nothing to learn from. */
    static Conversation requireAssistantTurn(Conversation c) {
        for (Message m : c.messages()) {
            if (m.role().equals(Message.ASSISTANT)) {
                return c;
            }
        }
        throw new SftFormat.BadRecord("no assistant message (nothing to train on)");
    }
}
