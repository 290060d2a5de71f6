package srg.judge;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import srg.UserError;
import srg.chat.ChatModel;
import srg.model.ModelSpec;

/** Builds a {@link Judge} from its {@link JudgeSpec}; model judges get their model from the caller's opener. */
public final class Judges {

    private Judges() {}

    /**
     * Opens a judge. {@code openModel} turns a model spec into a chat model (in-process or HTTP);
     * the judge owns the model and closes it.
     */
    public static Judge open(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        return switch (spec.name()) {
            case "keyword" -> keyword(spec);
            case "llamaguard" -> {
                allow(spec, Set.of("chat", "prompt", "max-tokens"));
                boolean prompt = spec.options().containsKey("prompt");
                if (prompt && spec.options().containsKey("chat")) {
                    throw new UserError("judge '" + spec.text() + "': choose chat or prompt, not both");
                }
                ChatModel m = model(spec, openModel);
                yield new LlamaGuardJudge(m, prompt, maxTokens(spec, 20), "llamaguard:" + (prompt ? "prompt" : "chat") + "@" + m.id());
            }
            case "harmbench" -> {
                allow(spec, Set.of("max-tokens"));
                ChatModel m = model(spec, openModel);
                yield new HarmBenchJudge(m, maxTokens(spec, 8), "harmbench@" + m.id());
            }
            case "strongreject" -> {
                allow(spec, Set.of("threshold", "max-tokens"));
                double threshold = spec.number("threshold", 0.5, 0, 1);
                ChatModel m = model(spec, openModel);
                yield new StrongRejectJudge(m, threshold, maxTokens(spec, 1024), "strongreject:threshold=" + threshold + "@" + m.id());
            }
            case "refusal" -> {
                allow(spec, Set.of("max-tokens"));
                ChatModel m = model(spec, openModel);
                yield new LlmRefusalJudge(m, maxTokens(spec, 16), "refusal@" + m.id());
            }
            default -> throw new UserError("judge '" + spec.text() + "': unknown judge '" + spec.name() + "'; expected one of:\n" + JudgeSpec.SYNTAX);
        };
    }

    private static Judge keyword(JudgeSpec spec) {
        allow(spec, Set.of("anywhere", "prefix", "list"));
        if (spec.model() != null) {
            throw new UserError("judge '" + spec.text() + "': the keyword judge takes no model");
        }
        boolean prefix = spec.options().containsKey("prefix");
        if (prefix && spec.options().containsKey("anywhere")) {
            throw new UserError("judge '" + spec.text() + "': choose anywhere or prefix, not both");
        }
        RefusalKeywordJudge.Mode mode = prefix ? RefusalKeywordJudge.Mode.PREFIX : RefusalKeywordJudge.Mode.ANYWHERE;
        String list = spec.options().get("list");
        if (list == null) {
            return RefusalKeywordJudge.gcg(mode);
        }
        if (list.isEmpty()) {
            throw new UserError("judge '" + spec.text() + "': list= needs a file");
        }
        Path file = Path.of(list);
        return new RefusalKeywordJudge(mode, RefusalKeywordJudge.readList(file), file.getFileName().toString());
    }

    private static ChatModel model(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        if (spec.model() == null) {
            throw new UserError("judge '" + spec.text() + "': the " + spec.name() + " judge needs a model: " + spec.name()
                    + "@MODEL, e.g. " + spec.name() + "@openai:NAME@http://localhost:8000/v1");
        }
        return openModel.apply(spec.model());
    }

    private static int maxTokens(JudgeSpec spec, int fallback) {
        return (int) spec.number("max-tokens", fallback, 1, 1 << 20);
    }

    private static void allow(JudgeSpec spec, Set<String> known) {
        for (String key : spec.options().keySet()) {
            if (!known.contains(key)) {
                throw new UserError("judge '" + spec.text() + "': unknown option '" + key + "'; the " + spec.name() + " judge takes " + known);
            }
        }
    }
}
