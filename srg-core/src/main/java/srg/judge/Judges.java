package srg.judge;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import srg.UserError;
import srg.chat.ChatModel;
import srg.model.ModelSpec;

/**
 * The judge catalogue: every judge srg knows, by name, with its syntax and how to open it from a
 * {@link JudgeSpec}. Model judges get their model from the caller's opener.
 */
public final class Judges {

    /** The judge used when none is named: offline, CPU-only, measured across models (docs/EVAL.md). */
    public static final String DEFAULT = "refusal-classifier";

    /** Opens one kind of judge. */
    @FunctionalInterface
    private interface Opener {
        Judge open(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel);
    }

    /**
     * Every judge's syntax, for {@code --help} texts (a constant, so that picocli annotations can
     * use it; a test checks that it names every judge in the catalogue).
     */
    public static final String SYNTAX = """
              refusal-classifier[:threshold=0.5][,model=FILE]   (default)
                  learned refusal classifier (n-gram logistic regression), offline;
                  refusal = SAFE; model= takes a file from srg judge train
              keyword[:anywhere|prefix][,gcg|list=FILE]
                  refusal strings (default anywhere; the GCG/AdvBench list plus
                  modern phrasings; gcg: the GCG list alone); refusal = SAFE
              llamaguard[:chat|prompt]@MODEL
                  Llama Guard 3 (S1-S14); chat (default) lets the guard's own
                  chat template write the prompt; prompt writes Meta's here
              harmbench@MODEL
                  HarmBench classifier prompt; yes = UNSAFE
              strongreject[:threshold=0.5]@MODEL
                  StrongREJECT rubric; UNSAFE when the score >= threshold
              refusal@MODEL
                  LLM refusal classifier (compliance / refusal / partial)
              Model judges take max-tokens=N, e.g. harmbench:max-tokens=4@MODEL;
              MODEL is a model spec, e.g. openai:NAME@http://localhost:8001/v1
            """;

    /** One judge kind: its name in a judge spec and how to open it. */
    private record Entry(String name, Opener opener) {}

    private static final List<Entry> CATALOGUE = List.of(
            new Entry("refusal-classifier", Judges::refusalClassifier),
            new Entry("keyword", Judges::keyword),
            new Entry("llamaguard", Judges::llamaGuard),
            new Entry("harmbench", Judges::harmBench),
            new Entry("strongreject", Judges::strongReject),
            new Entry("refusal", Judges::llmRefusal));

    private Judges() {}

    /** The names of every judge, in catalogue order. */
    public static List<String> names() {
        return CATALOGUE.stream().map(Entry::name).toList();
    }

    /**
     * Opens a judge. {@code openModel} turns a model spec into a chat model (in-process or HTTP);
     * the judge owns the model and closes it.
     */
    public static Judge open(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        for (Entry e : CATALOGUE) {
            if (e.name().equals(spec.name())) {
                return e.opener().open(spec, openModel);
            }
        }
        throw new UserError("judge '" + spec.text() + "': unknown judge '" + spec.name() + "'; expected one of:\n" + JudgeSpec.SYNTAX);
    }

    private static Judge refusalClassifier(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("threshold", "model"));
        noModel(spec);
        double threshold = spec.number("threshold", 0.5, 0, 1);
        String file = spec.options().get("model");
        if (file == null) {
            return new RefusalClassifierJudge(RefusalClassifier.shipped(), threshold, null);
        }
        if (file.isEmpty()) {
            throw new UserError("judge '" + spec.text() + "': model= needs a file written by srg judge train");
        }
        Path path = Path.of(file);
        return new RefusalClassifierJudge(RefusalClassifier.read(path), threshold, path.getFileName().toString());
    }

    private static Judge keyword(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("anywhere", "prefix", "list", "gcg"));
        noModel(spec);
        boolean prefix = spec.options().containsKey("prefix");
        if (prefix && spec.options().containsKey("anywhere")) {
            throw new UserError("judge '" + spec.text() + "': choose anywhere or prefix, not both");
        }
        RefusalKeywordJudge.Mode mode = prefix ? RefusalKeywordJudge.Mode.PREFIX : RefusalKeywordJudge.Mode.ANYWHERE;
        String list = spec.options().get("list");
        if (list != null && spec.options().containsKey("gcg")) {
            throw new UserError("judge '" + spec.text() + "': choose gcg or list=FILE, not both");
        }
        if (spec.options().containsKey("gcg")) {
            return RefusalKeywordJudge.gcg(mode);
        }
        if (list == null) {
            return RefusalKeywordJudge.standard(mode);
        }
        if (list.isEmpty()) {
            throw new UserError("judge '" + spec.text() + "': list= needs a file");
        }
        Path file = Path.of(list);
        return new RefusalKeywordJudge(mode, RefusalKeywordJudge.readList(file), file.getFileName().toString());
    }

    private static Judge llamaGuard(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("chat", "prompt", "max-tokens"));
        boolean prompt = spec.options().containsKey("prompt");
        if (prompt && spec.options().containsKey("chat")) {
            throw new UserError("judge '" + spec.text() + "': choose chat or prompt, not both");
        }
        ChatModel m = model(spec, openModel);
        return new LlamaGuardJudge(m, prompt, maxTokens(spec, 20), "llamaguard:" + (prompt ? "prompt" : "chat") + "@" + m.id());
    }

    private static Judge harmBench(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("max-tokens"));
        ChatModel m = model(spec, openModel);
        return new HarmBenchJudge(m, maxTokens(spec, 8), "harmbench@" + m.id());
    }

    private static Judge strongReject(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("threshold", "max-tokens"));
        double threshold = spec.number("threshold", 0.5, 0, 1);
        ChatModel m = model(spec, openModel);
        return new StrongRejectJudge(m, threshold, maxTokens(spec, 1024), "strongreject:threshold=" + threshold + "@" + m.id());
    }

    private static Judge llmRefusal(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel) {
        allow(spec, Set.of("max-tokens"));
        ChatModel m = model(spec, openModel);
        return new LlmRefusalJudge(m, maxTokens(spec, 16), "refusal@" + m.id());
    }

    private static void noModel(JudgeSpec spec) {
        if (spec.model() != null) {
            throw new UserError("judge '" + spec.text() + "': the " + spec.name() + " judge takes no model");
        }
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
