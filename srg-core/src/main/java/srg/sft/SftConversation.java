package srg.sft;

import srg.chat.Conversation;

/** One conversation of a data file and the line it started on (for error messages). */
public record SftConversation(int line, Conversation conversation) {}
