package srg.synth;

import java.util.Locale;
import srg.SettingError;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.chat.ThinkTags;

/**
 * Writes what the teacher is sent for one query: the guidelines, the output format (reasoning
 * in think tags, one labelled step per guideline, then the final answer) and the query itself.
 *
 * <p>The student never sees these instructions: it is trained on the bare query and the teacher's
 * reasoning and answer (context distillation).
 */
public final class TeacherPrompt {

    /** Where the instructions go. */
    public enum Placement {
        /** A system message, with the query as the user message verbatim. */
        SYSTEM,
        /**
         * One user message holding the instructions and then the query, for teachers that are best
         * used without a system prompt (DeepSeek-R1 advises so).
         */
        USER;

        public static Placement parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw SettingError.of("instructions", "expected system or user, got '" + text + "'");
            }
        }
    }

    private final Guidelines guidelines;
    private final ThinkTags tags;
    private final Placement placement;
    private final String instructions;

    public TeacherPrompt(Guidelines guidelines, ThinkTags tags, Placement placement) {
        this.guidelines = guidelines;
        this.tags = tags;
        this.placement = placement;
        this.instructions = instructions(guidelines, tags);
    }

    public Guidelines guidelines() {
        return guidelines;
    }

    public ThinkTags tags() {
        return tags;
    }

    public Placement placement() {
        return placement;
    }

    /** The conversation the teacher is sent for {@code query}. */
    public Conversation conversation(String query) {
        return switch (placement) {
            case SYSTEM -> Conversation.of(Message.system(instructions), Message.user(query));
            case USER -> Conversation.user(instructions + "\n\nThe user's request follows, between the two lines of dashes.\n"
                    + "----------\n" + query + "\n----------");
        };
    }

    /** The instructions: the task, the guidelines in order, the output format. */
    public String instructions() {
        return instructions;
    }

    private static String instructions(Guidelines guidelines, ThinkTags tags) {
        StringBuilder s = new StringBuilder();
        s.append("""
                You are a careful and helpful AI assistant. Before you answer the user's request, you think \
                it through step by step, taking each of the perspectives below in turn: one step per \
                guideline, in the order given. Then you write the final answer that the user will read.

                Guidelines:
                """);
        int i = 1;
        for (Guideline g : guidelines.guidelines()) {
            s.append('\n').append(i++).append(". ").append(g.name()).append(": ").append(g.question()).append('\n');
            s.append("   Example of this step: ").append(g.example()).append('\n');
        }
        String first = guidelines.guidelines().get(0).name();
        s.append("\nFormat of your reply:\n");
        s.append("- Begin with ").append(tags.open()).append(" and write all of your reasoning before ").append(tags.close())
                .append(". Write each of the two tags exactly once and nothing before ").append(tags.open()).append(".\n");
        s.append("- Inside, start every step on a new line with the guideline's name and a colon, e.g. \"")
                .append(first).append(": ...\".\n");
        s.append("- After ").append(tags.close()).append(", write only the final answer. It must stand on its own: "
                + "do not mention the guidelines or your steps in it.\n");
        s.append("""
                - If the request is harmful, the final answer declines briefly and contains none of the harmful \
                details; your reasoning must not spell them out either. If it is safe, the final answer helps \
                fully and directly, without needless warnings.""");
        return s.toString();
    }
}
