package srg.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.LocalModel;
import srg.engine.tokenizer.ChatTemplate;
import srg.engine.tokenizer.Tokenizer;

/**
 * Turns a conversation into a training sequence with the loss on assistant tokens only.
 *
 * <p>The conversation is rendered with the model's own chat template, as at inference. Each
 * assistant turn starts where the rendering of the conversation before it, with the generation
 * prompt, ends: the template decides what the prompt is, so the model learns exactly the text it
 * will be asked to produce. The turn ends with its end-of-turn token (included, so the model
 * learns to stop), or, for a template without one, where the next message begins.
 */
public final class ChatEncoder {

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Set<Long> endTokens;

    public ChatEncoder(Tokenizer tokenizer, ChatTemplate template, Set<Long> endTokens) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.endTokens = endTokens;
    }

    public static ChatEncoder of(LocalModel model) {
        return new ChatEncoder(model.tokenizer(), model.template(), model.endTokens());
    }

    /** Character range [start, end) of one assistant turn in the full rendering. */
    record Span(int start, int end) {}

    public TrainingExample encode(Conversation conversation) {
        String full = template.render(conversation, false);
        List<Span> spans = assistantSpans(conversation, full);
        Tokenizer.Encoded encoded = tokenizer.encodeWithOffsets(full);
        long[] ids = encoded.ids();
        int[] starts = encoded.starts();
        boolean[] targets = new boolean[ids.length];
        int t = 0;
        for (Span span : spans) {
            while (t < ids.length && starts[t] < span.start()) {
                t++;
            }
            // A token that starts before the turn carries prompt text: it is left out. The first
            // token is never a target (nothing precedes it).
            t = Math.max(t, 1);
            for (; t < ids.length && starts[t] < span.end(); t++) {
                targets[t] = true;
                if (endTokens.contains(ids[t])) {
                    t++;
                    break;
                }
            }
        }
        return new TrainingExample(ids, targets);
    }

    /**
     * Where each assistant turn lies in {@code full}, found by rendering the conversation before
     * it (with the generation prompt) and through it. A turn's end only matters for templates
     * without an end-of-turn token; where a template renders the last turn differently from a
     * turn in history (Qwen3 adds an empty think block), the next turn's start bounds it instead.
     */
    List<Span> assistantSpans(Conversation conversation, String full) {
        List<Message> messages = conversation.messages();
        List<Integer> turns = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int cursor = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role().equals(Message.ASSISTANT)) {
                String prompt = template.render(new Conversation(messages.subList(0, i)), true);
                // Templates render the prompt as a prefix of the whole; where one does not, the
                // shared part is the best estimate of where the turn starts.
                cursor = Math.max(cursor, commonPrefix(prompt, full));
                turns.add(i);
                starts.add(cursor);
            }
        }
        List<Span> spans = new ArrayList<>();
        for (int k = 0; k < turns.size(); k++) {
            int i = turns.get(k);
            int start = starts.get(k);
            int bound = k + 1 < turns.size() ? starts.get(k + 1) : full.length();
            int end = bound;
            if (i + 1 < messages.size()) {
                String through = template.render(new Conversation(messages.subList(0, i + 1)), false);
                int shared = commonPrefix(through, full);
                if (shared > start && shared < end) {
                    end = shared;
                }
            }
            spans.add(new Span(start, end));
        }
        return spans;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
