package srg.judge;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import srg.SettingError;
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

    /** Opens one kind of judge; {@code warn} gets one-line warnings about how it was opened. */
    @FunctionalInterface
    private interface Opener {
        Judge open(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn);
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
              llamaguard[:chat|prompt[,prompts=DIR]]@MODEL
                  Llama Guard 3 (S1-S14); chat (default) lets the guard's own
                  chat template write the prompt; prompt writes Meta's here
              harmbench[:prompts=DIR]@MODEL
                  HarmBench classifier prompt; yes = UNSAFE
              strongreject[:threshold=0.5][,prompts=DIR]@MODEL
                  StrongREJECT rubric; UNSAFE when the score >= threshold
              refusal@MODEL
                  LLM refusal classifier (compliance / refusal / partial)
              Model judges take max-tokens=N, e.g. harmbench:max-tokens=4@MODEL;
              MODEL is a model spec, e.g. openai:NAME@http://localhost:8001/v1.
              llamaguard:prompt, harmbench and strongreject read their authors'
              prompt files, which srg does not ship, from prompts=DIR (default:
              ../shared/judge-prompts relative to the srg folder); docs/EVAL.md says
              where each file comes from
            """;


    /**
     * {@code judge}, when it says whether an answer refuses; else an error naming {@code setting},
     * which gave the judge as {@code named}.
     */
    public static Judge reportingRefusals(Judge judge, String setting, String named) {
        if (!judge.reportsRefusal()) {
            throw SettingError.of(setting, named + " does not say whether an answer refuses; use " + REPORTING_REFUSALS);
        }
        return judge;
    }

    /**
     * One judge kind: its name in a judge spec, its syntax (the first line of its entry in
     * {@link #SYNTAX}; a test checks both agree), whether its judgments say if an answer refuses,
     * and how to open it.
     */
    private record Entry(String name, String syntax, boolean reportsRefusal, Opener opener) {}

    private static final List<Entry> CATALOGUE = List.of(
            new Entry("refusal-classifier", "refusal-classifier[:threshold=0.5][,model=FILE]", true, Judges::refusalClassifier),
            new Entry("keyword", "keyword[:anywhere|prefix][,gcg|list=FILE]", true, Judges::keyword),
            new Entry("llamaguard", "llamaguard[:chat|prompt[,prompts=DIR]]@MODEL", false, Judges::llamaGuard),
            new Entry("harmbench", "harmbench[:prompts=DIR]@MODEL", false, Judges::harmBench),
            new Entry("strongreject", "strongreject[:threshold=0.5][,prompts=DIR]@MODEL", true, Judges::strongReject),
            new Entry("refusal", "refusal@MODEL", true, Judges::llmRefusal));

    /**
     * The judges that say whether an answer refuses (the synthesis filter, RT refusal writing, the
     * refusal judge and latent refusal need one), for advice in errors: "refusal-classifier,
     * keyword, strongreject@MODEL or refusal@MODEL".
     */
    public static final String REPORTING_REFUSALS = reportingRefusalsAdvice();

    private Judges() {}

    /** The names of every judge, in catalogue order. */
    public static List<String> names() {
        return CATALOGUE.stream().map(Entry::name).toList();
    }

    /** Every judge's syntax, in catalogue order (for the test that holds it to {@link #SYNTAX}). */
    static List<String> syntax() {
        return CATALOGUE.stream().map(Entry::syntax).toList();
    }

    /** The syntax of each judge that says whether an answer refuses, in catalogue order. */
    public static List<String> reportingRefusalsSyntax() {
        return CATALOGUE.stream().filter(Entry::reportsRefusal).map(Entry::syntax).toList();
    }

    private static String reportingRefusalsAdvice() {
        List<String> names = CATALOGUE.stream().filter(Entry::reportsRefusal)
                .map(e -> e.name() + (e.syntax().endsWith("@MODEL") ? "@MODEL" : "")).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /**
     * Opens a judge. {@code openModel} turns a model spec into a chat model (in-process or HTTP);
     * the judge owns the model and closes it. {@code warn} gets one-line warnings (a reference
     * prompt file that is not the published one).
     */
    public static Judge open(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        for (Entry e : CATALOGUE) {
            if (e.name().equals(spec.name())) {
                return e.opener().open(spec, openModel, warn);
            }
        }
        throw new UserError("judge '" + spec.text() + "': unknown judge '" + spec.name() + "'; expected one of:\n" + JudgeSpec.SYNTAX);
    }

    private static Judge refusalClassifier(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        allow(spec, Set.of("threshold", "model"));
        noModel(spec);
        double threshold = spec.number("threshold", 0.5, 0, 1);
        String file = spec.options().get("model");
        if (file == null) {
            return new RefusalClassifierJudge(RefusalClassifier.shipped(), threshold, null);
        }
        if (file.isEmpty()) {
            throw new UserError("judge '" + spec.text() + "': model= needs a file of a trained refusal classifier");
        }
        Path path = Path.of(file);
        return new RefusalClassifierJudge(RefusalClassifier.read(path), threshold, path.getFileName().toString());
    }

    private static Judge keyword(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
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

    private static Judge llamaGuard(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        allow(spec, Set.of("chat", "prompt", "max-tokens", ReferencePrompts.OPTION));
        boolean prompt = spec.options().containsKey("prompt");
        if (prompt && spec.options().containsKey("chat")) {
            throw new UserError("judge '" + spec.text() + "': choose chat or prompt, not both");
        }
        if (!prompt && spec.options().containsKey(ReferencePrompts.OPTION)) {
            throw new UserError("judge '" + spec.text() + "': " + ReferencePrompts.OPTION + "= goes with llamaguard:prompt;"
                    + " in the chat way the guard's own chat template writes the prompt");
        }
        ModelSpec model = modelSpec(spec);
        ReferencePrompts files = ReferencePrompts.of(spec, warn);
        LlamaGuardJudge.TaskPrompt taskPrompt = prompt ? LlamaGuardJudge.TaskPrompt.read(files) : null;
        ChatModel m = openModel.apply(model);
        return new LlamaGuardJudge(m, taskPrompt, maxTokens(spec, 20), id("llamaguard:" + (prompt ? "prompt" : "chat"), files, m));
    }

    private static Judge harmBench(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        allow(spec, Set.of("max-tokens", ReferencePrompts.OPTION));
        ModelSpec model = modelSpec(spec);
        ReferencePrompts files = ReferencePrompts.of(spec, warn);
        HarmBenchJudge.Template standard = HarmBenchJudge.template(files.load(ReferenceFile.HARMBENCH));
        HarmBenchJudge.Template contextual = HarmBenchJudge.template(files.load(ReferenceFile.HARMBENCH_CONTEXTUAL));
        ChatModel m = openModel.apply(model);
        return new HarmBenchJudge(m, standard, contextual, maxTokens(spec, 8), id("harmbench", files, m));
    }

    private static Judge strongReject(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        allow(spec, Set.of("threshold", "max-tokens", ReferencePrompts.OPTION));
        double threshold = spec.number("threshold", 0.5, 0, 1);
        ModelSpec model = modelSpec(spec);
        ReferencePrompts files = ReferencePrompts.of(spec, warn);
        String system = files.load(ReferenceFile.STRONGREJECT_SYSTEM).text();
        ReferencePrompt rubric = files.load(ReferenceFile.STRONGREJECT_RUBRIC);
        ChatModel m = openModel.apply(model);
        return new StrongRejectJudge(m, system, rubric, threshold, maxTokens(spec, 1024), id("strongreject:threshold=" + threshold, files, m));
    }

    /**
     * A model judge's id: name and options, {@code prompts=HASH} when its prompt files are not the
     * published ones (so that their verdicts are stored apart), and the model.
     */
    private static String id(String head, ReferencePrompts files, ChatModel m) {
        String marker = files.idOption();
        return head + (marker == null ? "" : (head.contains(":") ? "," : ":") + marker) + "@" + m.id();
    }

    private static Judge llmRefusal(JudgeSpec spec, Function<ModelSpec, ChatModel> openModel, Consumer<String> warn) {
        allow(spec, Set.of("max-tokens"));
        ChatModel m = openModel.apply(modelSpec(spec));
        return new LlmRefusalJudge(m, maxTokens(spec, 16), "refusal@" + m.id());
    }

    private static void noModel(JudgeSpec spec) {
        if (spec.model() != null) {
            throw new UserError("judge '" + spec.text() + "': the " + spec.name() + " judge takes no model");
        }
    }

    /** The judge model's spec; checked before the judge reads its files, opened after. */
    private static ModelSpec modelSpec(JudgeSpec spec) {
        if (spec.model() == null) {
            throw new UserError("judge '" + spec.text() + "': the " + spec.name() + " judge needs a model: " + spec.name()
                    + "@MODEL, e.g. " + spec.name() + "@openai:NAME@http://localhost:8000/v1");
        }
        return spec.model();
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
