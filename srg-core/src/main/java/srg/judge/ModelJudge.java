package srg.judge;

import java.util.ArrayList;
import java.util.List;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;

/**
 * A judge that asks a model: it writes one judge conversation per input, samples one greedy answer
 * for each, and parses it. A failed judge request or an answer in the wrong format is an ERROR
 * judgment carrying the reason and the raw answer.
 */
abstract class ModelJudge implements Judge {

    /** Thrown by {@link #parse} when the judge model's answer is not in the expected format. */
    static final class UnreadableAnswer extends Exception {
        UnreadableAnswer(String message) {
            super(message);
        }
    }

    private final String id;
    private final ChatModel model;
    private final SamplingParams params;

    ModelJudge(String id, ChatModel model, int maxTokens) {
        this.id = id;
        this.model = model;
        this.params = SamplingParams.greedy(maxTokens);
    }

    /** The conversation asking the judge model about one input. */
    abstract Conversation prompt(JudgeInput input);

    /** Reads the judge model's answer. */
    abstract Judgment parse(String answer) throws UnreadableAnswer;

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final List<Judgment> judge(List<JudgeInput> inputs) {
        List<Conversation> prompts = inputs.stream().map(this::prompt).toList();
        List<List<Completion>> answers = model.sample(prompts, params, 1);
        List<Judgment> out = new ArrayList<>(inputs.size());
        for (List<Completion> answer : answers) {
            out.add(read(answer.get(0)));
        }
        return out;
    }

    /** Turns one judge-model completion into a judgment, never throwing. */
    final Judgment read(Completion answer) {
        if (answer.isError()) {
            return Judgment.error("judge model failed: " + answer.error());
        }
        try {
            return parse(answer.text());
        } catch (UnreadableAnswer e) {
            String raw = answer.text().length() > 200 ? answer.text().substring(0, 200) + "..." : answer.text();
            return Judgment.error(e.getMessage() + "; judge answered: " + raw);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
