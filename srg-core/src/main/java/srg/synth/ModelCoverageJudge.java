package srg.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;

/**
 * Asks a model, for each guideline, whether the reasoning takes the step it asks for, whatever
 * the step is labelled. The model answers one {@code NAME: yes|no} line per guideline; an answer
 * that leaves a guideline out, or a failed request, is a {@link Coverage#failed} coverage.
 */
public final class ModelCoverageJudge implements CoverageJudge {

    static final String SYSTEM = "You check whether a piece of reasoning follows a list of guidelines. "
            + "You never answer the request the reasoning is about.";

    private static final String TASK = """
            Each guideline below is a question that one step of the reasoning should answer. For each \
            guideline, decide whether the reasoning contains a step that addresses its question. The step \
            need not be labelled with the guideline's name, and it need not reach any particular conclusion; \
            it must actually consider the question, not merely mention a word from it.

            Guidelines:
            %s
            Request:
            %s

            Reasoning:
            %s

            Reply with one line per guideline, in the order given, each of the form "NAME: yes" or "NAME: no", \
            and nothing else.""";

    private final ChatModel model;
    private final Guidelines guidelines;
    private final SamplingParams params;

    public ModelCoverageJudge(ChatModel model, Guidelines guidelines, int maxTokens) {
        this.model = model;
        this.guidelines = guidelines;
        this.params = SamplingParams.greedy(maxTokens);
    }

    @Override
    public String id() {
        return "model@" + model.id();
    }

    Conversation prompt(Input input) {
        StringBuilder list = new StringBuilder();
        for (Guideline g : guidelines.guidelines()) {
            list.append("- ").append(g.name()).append(": ").append(g.question()).append('\n');
        }
        return Conversation.of(SYSTEM, String.format(TASK, list, input.query(), input.reasoning()));
    }

    @Override
    public List<Coverage> check(List<Input> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        List<List<Completion>> answers = model.sample(inputs.stream().map(this::prompt).toList(), params, 1);
        List<Coverage> out = new ArrayList<>(inputs.size());
        for (List<Completion> a : answers) {
            out.add(read(a.get(0)));
        }
        return out;
    }

    Coverage read(Completion answer) {
        if (answer.isError()) {
            return Coverage.failed("coverage model failed: " + answer.error());
        }
        Map<String, Boolean> said = new LinkedHashMap<>();
        for (Guideline g : guidelines.guidelines()) {
            Matcher m = Pattern.compile("(?im)^[\\s*\\-\\d.]*\\**" + Pattern.quote(g.name()) + "\\**\\s*[:=\\-]\\s*\\**\\s*(yes|no)\\b")
                    .matcher(answer.text());
            if (!m.find()) {
                String raw = answer.text().length() > 200 ? answer.text().substring(0, 200) + "..." : answer.text();
                return Coverage.failed("no yes/no for '" + g.name() + "' in the coverage model's answer: " + raw);
            }
            said.put(g.name(), m.group(1).toLowerCase(Locale.ROOT).equals("yes"));
        }
        return new Coverage(said, null);
    }

    @Override
    public void close() {
        model.close();
    }
}
