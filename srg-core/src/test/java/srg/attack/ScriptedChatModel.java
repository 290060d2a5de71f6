package srg.attack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

/**
 * A chat model for tests: answers from a script (a function of the conversation and the sample
 * index) and records every request it receives, so tests can check the instructions sent to a
 * helper model as well as how its replies are used.
 */
public final class ScriptedChatModel implements ChatModel {

    /** One sample that was asked for. */
    public record Call(Conversation conversation, int index, SamplingParams params) {
        /** The last user message, which holds the instruction for helper models. */
        public String prompt() {
            return conversation.lastUserContent();
        }
    }

    /** Produces the reply text (or null for a failed request) for a conversation and sample index. */
    @FunctionalInterface
    public interface Script {
        String reply(Conversation conversation, int index);
    }

    private final String id;
    private final Script script;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private int batches;

    public ScriptedChatModel(String id, Script script) {
        this.id = id;
        this.script = script;
    }

    /** A model that replies with a function of the last user message only. */
    public static ScriptedChatModel of(String id, Function<String, String> reply) {
        return new ScriptedChatModel(id, (c, i) -> reply.apply(c.lastUserContent()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        batches++;
        List<List<Completion>> out = new ArrayList<>();
        for (SampleRequest r : requests) {
            List<Completion> samples = new ArrayList<>();
            for (int i = r.firstIndex(); i < r.firstIndex() + r.count(); i++) {
                calls.add(new Call(r.conversation(), i, params));
                String text = script.reply(r.conversation(), i);
                samples.add(text == null ? Completion.error("scripted failure") : Completion.of(text, FinishReason.STOP, -1, -1));
            }
            out.add(samples);
        }
        return out;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** How many sample() calls were made: batching sends many requests in one. */
    public int batches() {
        return batches;
    }
}
