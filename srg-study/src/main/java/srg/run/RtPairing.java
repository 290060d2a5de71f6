package srg.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import srg.SettingError;
import srg.chat.ChatModel;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.judge.Judge;
import srg.judge.JudgeSpec;
import srg.judge.Judges;
import srg.model.ModelSpec;
import srg.store.CachedChatModel;
import srg.store.RunStore;
import srg.synth.QuerySet;
import srg.synth.RefusalSet;
import srg.synth.RefusalWriter;
import srg.synth.RtBuilder;
import srg.synth.Synthesizer;

/**
 * Refusal-training data paired line by line with SRG data ({@link RtBuilder}), from its
 * {@link RtSettings}: the refusals built in, the SRG lines' own answers, a file's, or written by a
 * model (cached in a run store). srg synth rt and the study's rt stage run through here.
 */
public final class RtPairing {

    private final RtSettings settings;
    private final Console console;

    public RtPairing(RtSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
    }

    /** The queries, loaded now: a bad dataset fails before anything is written. */
    public QuerySet queries() {
        return new QuerySet(Synthesis.load(settings.harmful(), true), Synthesis.load(settings.benign(), false));
    }

    /**
     * Writes {@code out} (RT data, one line per line of {@code srg}) and its summary beside it;
     * returns the summary, whose {@code query_sets} say whether the two files pair exactly.
     * Refusals written by a model are cached in {@code cacheDir}.
     */
    public ObjectNode run(QuerySet queries, Path srg, Path out, Path cacheDir, Provenance provenance) {
        RefusalSet set = switch (settings.refusals()) {
            case "builtin" -> RefusalSet.builtIn();
            case "srg" -> null;
            default -> settings.refusals().startsWith(RtSettings.MODEL_PREFIX) ? writeRefusals(queries, cacheDir)
                    : RefusalSet.load(Path.of(settings.refusals()));
        };
        ObjectNode config = new ObjectMapper().createObjectNode();
        provenance.write(config);
        return new RtBuilder(set, settings.seed(), console).build(srg, queries, out, Synthesizer.Outputs.beside(out).summary(), config);
    }

    /** Has the model of {@code model:SPEC} write the refusals, its replies cached in {@code cacheDir}. */
    private RefusalSet writeRefusals(QuerySet queries, Path cacheDir) {
        ModelSpec writerSpec = ModelSpec.parse(settings.refusals().substring(RtSettings.MODEL_PREFIX.length()));
        try (OpenedModels opened = new OpenedModels(console); RunStore store = RunStore.open(cacheDir)) {
            ChatModel writer = new CachedChatModel(opened.open(writerSpec), store);
            Judge judge = Judges.open(JudgeSpec.parse(settings.judge()), m -> new CachedChatModel(opened.open(m), store), console::warn);
            if (!judge.reportsRefusal()) {
                throw SettingError.of("judge", settings.judge() + " does not say whether an answer refuses; use refusal-classifier, "
                        + "keyword, refusal@MODEL or strongreject@MODEL");
            }
            List<Behavior> harmful = queries.queries().stream().filter(Behavior::harmful).toList();
            RefusalSet written = new RefusalWriter(writer, judge, SamplingParams.of(0.7, 256, settings.seed()))
                    .write(harmful, RefusalSet.builtIn(), console);
            console.info("refusals: " + written.ownCount() + " of " + harmful.size() + " harmful queries got one written by "
                    + writer.id() + "; the rest draw a built-in one");
            return written;
        }
    }
}
