package srg.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

/** A test model that answers each conversation with a scripted text (or an error completion when the script returns null). */
public final class ScriptedChatModel implements ChatModel {

    private final String id;
    private final Function<Conversation, String> script;
    public final List<Conversation> seen = new CopyOnWriteArrayList<>();

    public ScriptedChatModel(String id, Function<Conversation, String> script) {
        this.id = id;
        this.script = script;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        List<List<Completion>> out = new ArrayList<>();
        for (SampleRequest r : requests) {
            List<Completion> samples = new ArrayList<>();
            for (int i = 0; i < r.count(); i++) {
                seen.add(r.conversation());
                String text = script.apply(r.conversation());
                samples.add(text == null ? Completion.error("scripted failure") : Completion.of(text, FinishReason.STOP, -1, -1));
            }
            out.add(samples);
        }
        return out;
    }
}
