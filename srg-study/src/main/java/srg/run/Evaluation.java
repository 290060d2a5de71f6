package srg.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.SettingError;
import srg.attack.Attack;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.chat.ChatModel;
import srg.data.Behavior;
import srg.data.Dataset;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.eval.BestOfNEval;
import srg.eval.EvalConfig;
import srg.eval.EvalResults;
import srg.eval.ResultsJson;
import srg.io.ContentHash;
import srg.judge.Judge;
import srg.judge.JudgeSpec;
import srg.judge.Judges;
import srg.model.ModelSpec;
import srg.model.OpenAiChatModel;
import srg.report.RunReport;
import srg.store.RunStore;

/**
 * A Best-of-N evaluation from its {@link EvalSettings}: the one place that turns settings into an
 * {@link EvalConfig}, opens the judges and helper models, runs {@link BestOfNEval} into a run
 * folder and writes results.json (whose {@code config} has one shape, whoever ran it) and
 * report.html. srg eval and the study's eval stage both run through here.
 */
public final class Evaluation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EvalSettings settings;
    private final Extensions extensions;
    private final Console console;

    public Evaluation(EvalSettings settings, Extensions extensions, Console console) {
        this.settings = settings;
        this.extensions = extensions;
        this.console = console;
    }

    /** The datasets as loaded: the behaviors, and the files they came from for the configuration. */
    public record Data(List<Dataset> harmfulFiles, List<Dataset> benignFiles, List<Behavior> harmful, List<Behavior> benign) {}

    /**
     * What one evaluation produced.
     *
     * @param tooManyErrors the models whose share of failed samples is above the settings' error rate
     */
    public record Outcome(EvalResults results, ObjectNode json, List<ModelFailure> tooManyErrors) {}

    /**
     * A model with too many failed samples (generation or judge errors), or with all of them failed.
     *
     * @param commonest the most frequent error message, or null
     */
    public record ModelFailure(String model, long failed, long all, double maxErrorRate, String commonest) {

        /** One line, naming the error-rate setting as the caller spells it ({@code --max-error-rate}, a study key). */
        public String describe(String rateSetting) {
            return String.format(Locale.ROOT, "%s: %d of %d samples failed (%s, %s %s)%s", model, failed, all,
                    all == 0 ? "nothing was sampled" : String.format(Locale.ROOT, "%.0f%%", 100.0 * failed / all),
                    rateSetting, maxErrorRate, commonest == null ? "" : ", most often: " + firstLine(commonest));
        }
    }

    /** Checks the run store of the folder before the evaluation writes to it (srg eval's folder policy). */
    @FunctionalInterface
    public interface FolderCheck {
        FolderCheck NONE = (store, config) -> { };

        void check(RunStore store, ObjectNode config) throws IOException;
    }

    /** Loads and checks the datasets; fails before any model is opened. */
    public Data load() {
        if (settings.harmful().isEmpty()) {
            throw SettingError.of("dataset", "no harmful dataset given");
        }
        if (settings.benignUnderAttacks() && settings.benign().isEmpty()) {
            throw SettingError.of("benign_under_attacks", "needs benign prompts (the benign setting)");
        }
        List<Dataset> harmfulFiles = settings.harmful().stream().map(d -> DatasetLoader.load(DatasetSpec.parse(d), true)).toList();
        List<Dataset> benignFiles = settings.benign().stream().map(d -> DatasetLoader.load(DatasetSpec.parse(d), false)).toList();
        List<Behavior> harmful = harmfulFiles.stream().flatMap(d -> d.harmful().stream()).toList();
        List<Behavior> benign = benignFiles.stream().flatMap(d -> d.benign().stream()).toList();
        if (harmful.isEmpty()) {
            throw SettingError.of("dataset", "no harmful behaviors in " + settings.harmful());
        }
        if (!settings.benign().isEmpty() && benign.isEmpty()) {
            throw SettingError.of("benign", "no benign prompts in " + settings.benign());
        }
        return new Data(harmfulFiles, benignFiles, harmful, benign);
    }

    /**
     * Evaluates {@code models} into {@code runDir}: run.db (resumable: a rerun finishes what is
     * missing), results.json and report.html. Models, judges and helpers are opened here and
     * closed at the end.
     */
    public Outcome run(List<ModelSpec> models, Path runDir, Provenance provenance, ObjectNode study, FolderCheck check)
            throws IOException {
        List<String> ids = models.stream().map(ModelSpec::id).toList();
        if (ids.stream().distinct().count() != ids.size()) {
            throw SettingError.of("model", "two models share the name " + ids + "; give one ?name=ID");
        }
        if (settings.sampling().greedy() && settings.n() > 1) {
            console.warn("temperature 0 makes all N samples identical; Best-of-N needs sampling");
        }
        Data data = load();
        try (OpenedModels opened = new OpenedModels(console)) {
            ChatModel attacker = settings.attacker() == null ? null : opened.open(settings.attacker());
            ChatModel translator = settings.translator() == null ? null : opened.open(settings.translator());
            AttackOptions options = AttackOptions.seeded(settings.seed()).withTemplates(settings.templates())
                    .withDemonstrations(settings.demos());
            if (attacker != null) {
                options = options.withAttacker(attacker);
            }
            if (translator != null) {
                options = options.withTranslator(translator);
            }
            List<Attack> attacks = AttackRegistry.parse(settings.attacks(), options, name -> extensions.attack(name, settings.seed()));
            Judge judge = openJudge(settings.judge(), opened);
            Judge refusalJudge = refusalJudge(judge, data, opened);
            try {
                List<ChatModel> targets = new ArrayList<>();
                for (ModelSpec m : models) {
                    targets.add(opened.open(m));
                }
                // Keys the stored attacked prompts: a change to any of these makes new prompts.
                String attackConfig = "seed=" + settings.seed() + ";attacker=" + (attacker == null ? "none" : attacker.id())
                        + (translator == null ? "" : ";translator=" + translator.id())
                        + (settings.templates() == null ? "" : ";templates=" + settings.templates().toAbsolutePath().normalize())
                        + (settings.demos() == null ? "" : ";demos=" + settings.demos().toAbsolutePath().normalize());
                EvalConfig config = new EvalConfig(data.harmful(), data.benign(), attacks, attackConfig, settings.n(), settings.mode(),
                        settings.sampling(), settings.benignN(), settings.batch(), settings.judgeBatch(), settings.bootstrap(),
                        settings.seed()).withReasoning(settings.judgeReasoning(), settings.thinkTags())
                        .withBenignUnderAttacks(settings.benignUnderAttacks()).withLatentRefusal(settings.latentRefusal());
                ObjectNode configJson = configJson(provenance, study, models, data, attacks, attackConfig, judge, refusalJudge, runDir);

                EvalResults results;
                List<ModelFailure> tooManyErrors;
                try (RunStore store = RunStore.open(runDir)) {
                    check.check(store, configJson);
                    store.putMeta("last_command", configJson.path("command").toString());
                    results = new BestOfNEval(config, store, console).run(targets, judge, refusalJudge);
                    tooManyErrors = tooManyErrors(results, store);
                }
                ObjectNode json = ResultsJson.toJson(results, configJson);
                ResultsJson.write(runDir.resolve(ResultsJson.FILE_NAME), json);
                RunReport.write(RunReport.folders(List.of(runDir)), runDir.resolve(RunReport.FILE_NAME));
                return new Outcome(results, json, tooManyErrors);
            } finally {
                judge.close();
                if (refusalJudge != judge) {
                    refusalJudge.close();
                }
            }
        }
    }

    private Judge openJudge(String spec, OpenedModels opened) {
        Judge own = extensions.judge(spec);
        return own != null ? own : Judges.open(JudgeSpec.parse(spec), opened::open, console::warn);
    }

    /** The judge of benign prompts: the one named, else the main judge when it reports refusals, else the default. */
    private Judge refusalJudge(Judge judge, Data data, OpenedModels opened) {
        if (settings.latentRefusal()) {
            Judges.reportingRefusals(judge, "latent_refusal", "the judge " + settings.judge());
        }
        if (settings.refusalJudge() != null) {
            return Judges.reportingRefusals(openJudge(settings.refusalJudge(), opened), "refusal_judge", settings.refusalJudge());
        }
        if (!data.benign().isEmpty() && !judge.reportsRefusal()) {
            Judge fallback = Judges.open(JudgeSpec.parse(Judges.DEFAULT), s -> null, console::warn);
            console.warn("judge " + judge.id() + " does not report refusals; over-refusal is measured with " + fallback.id()
                    + " (choose with the refusal_judge setting)");
            return fallback;
        }
        return judge;
    }

    /** The models over the error rate allowed, or with every sample failed. */
    private List<ModelFailure> tooManyErrors(EvalResults results, RunStore store) {
        List<ModelFailure> out = new ArrayList<>();
        results.models().forEach((id, m) -> {
            long failed = m.errors();
            long all = failed + m.usable();
            if (all == 0 || failed == all || (double) failed / all > settings.maxErrorRate()) {
                out.add(new ModelFailure(id, failed, all, settings.maxErrorRate(), store.commonestError(id)));
            }
        });
        return out;
    }

    /** An error message cut to one short line. */
    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** results.json's {@code config}: the same shape for srg eval and a study. */
    private ObjectNode configJson(Provenance provenance, ObjectNode study, List<ModelSpec> models, Data data, List<Attack> attacks,
            String attackConfig, Judge judge, Judge refusalJudge, Path runDir) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        provenance.write(c);
        if (study == null) {
            c.putNull("study");
        } else {
            c.set("study", study);
        }
        ArrayNode ms = c.putArray("models");
        for (ModelSpec m : models) {
            ObjectNode node = ms.addObject().put("id", m.id()).put("spec", m.text()).put("kind", m.kind().name().toLowerCase(Locale.ROOT));
            if (m.kind() == ModelSpec.Kind.LOCAL) {
                node.put("dtype", ModelOpener.precision(m).precision().setting()); // the matmul format its samples were drawn in
            }
            if (m.kind() == ModelSpec.Kind.OPENAI) {
                node.put("api_key_env", OpenAiChatModel.Config.from(m, System.getenv()).apiKey() == null ? null
                        : m.options().getOrDefault("key", "OPENAI_API_KEY"));
            }
        }
        c.set("datasets", datasetsJson(data.harmfulFiles(), true));
        c.set("benign", datasetsJson(data.benignFiles(), false));
        ArrayNode as = c.putArray("attacks");
        attacks.forEach(a -> as.addObject().put("name", a.name()).put("kind", a.kind().name().toLowerCase(Locale.ROOT))
                .put("reference", a.reference()).set("params", JSON.valueToTree(a.params())));
        c.put("attack_config", attackConfig);
        c.put("n", settings.n());
        c.put("mode", settings.mode().wireName());
        c.putObject("judge").put("spec", settings.judge()).put("id", judge.id());
        c.putObject("refusal_judge").put("id", refusalJudge.id());
        c.put("judge_reasoning", settings.judgeReasoning().wireName());
        c.putArray("think_tags").add(settings.thinkTags().open()).add(settings.thinkTags().close());
        ObjectNode s = c.putObject("sampling");
        s.put("temperature", settings.sampling().temperature()).put("top_p", settings.sampling().topP())
                .put("top_k", settings.sampling().topK()).put("max_tokens", settings.sampling().maxTokens())
                .put("seed", settings.sampling().seed()).put("key", settings.sampling().key());
        ArrayNode stops = s.putArray("stop");
        settings.sampling().stop().forEach(stops::add);
        c.put("benign_n", settings.benignN());
        c.put("benign_under_attacks", settings.benignUnderAttacks());
        c.put("latent_refusal", settings.latentRefusal());
        c.put("bootstrap_resamples", settings.bootstrap());
        c.put("seed", settings.seed());
        c.put("run_dir", runDir.toAbsolutePath().normalize().toString());
        return c;
    }

    private static ArrayNode datasetsJson(List<Dataset> data, boolean harmful) throws IOException {
        ArrayNode out = JSON.createArrayNode();
        for (Dataset d : data) {
            out.addObject().put("path", d.path().toAbsolutePath().normalize().toString()).put("format", d.format().specName())
                    .put("sha256", ContentHash.ofFile(d.path())).put("rows", d.behaviors().size())
                    .put("used", harmful ? d.harmful().size() : d.benign().size());
        }
        return out;
    }
}
