package srg.run;

import com.fasterxml.jackson.databind.JsonNode;
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
     * What one pairing wrote, read from its summary ({@code query_sets}).
     *
     * @param querySetSha256 the SHA-256 of the RT data's queries ({@link QuerySet#sha256})
     * @param leftOut input queries without an SRG sample, in neither file
     * @param summary the summary file, which lists them
     */
    public record Outcome(int rtLines, int rtQueries, int srgLines, int srgQueries, boolean identicalQueries,
            boolean identicalLinesPerQuery, String querySetSha256, int leftOut, Path summary) {

        /** The two files pair exactly: the same queries, as many lines per query. */
        public boolean paired() {
            return identicalQueries && identicalLinesPerQuery;
        }

        static Outcome of(JsonNode summary, Path file) {
            JsonNode sets = summary.get("query_sets");
            return new Outcome(sets.at("/rt/lines").asInt(), sets.at("/rt/queries").asInt(), sets.at("/srg/lines").asInt(),
                    sets.at("/srg/queries").asInt(), sets.get("identical_queries").asBoolean(),
                    sets.get("identical_lines_per_query").asBoolean(), sets.at("/rt/sha256").asText(),
                    sets.at("/input/left_out_count").asInt(), file);
        }
    }

    /**
     * Writes {@code out} (RT data, one line per line of {@code srg}) and its summary beside it.
     * Refusals written by a model are cached in {@code cacheDir}.
     */
    public Outcome run(QuerySet queries, Path srg, Path out, Path cacheDir, Provenance provenance) {
        if (out.toAbsolutePath().normalize().equals(srg.toAbsolutePath().normalize())) {
            throw SettingError.naming("{out} " + out + " would overwrite the SRG data", "out");
        }
        RefusalSet set = switch (settings.refusals()) {
            case "builtin" -> RefusalSet.builtIn();
            case "srg" -> null;
            default -> settings.refusals().startsWith(RtSettings.MODEL_PREFIX) ? writeRefusals(queries, cacheDir)
                    : RefusalSet.load(Path.of(settings.refusals()));
        };
        ObjectNode config = new ObjectMapper().createObjectNode();
        provenance.write(config);
        Path summary = Synthesizer.Outputs.beside(out).summary();
        return Outcome.of(new RtBuilder(set, settings.seed(), console).build(srg, queries, out, summary, config), summary);
    }

    /** Has the model of {@code model:SPEC} write the refusals, its replies cached in {@code cacheDir}. */
    private RefusalSet writeRefusals(QuerySet queries, Path cacheDir) {
        ModelSpec writerSpec = ModelSpec.parse(settings.refusals().substring(RtSettings.MODEL_PREFIX.length()));
        try (OpenedModels opened = new OpenedModels(console); RunStore store = RunStore.open(cacheDir)) {
            ChatModel writer = new CachedChatModel(opened.open(writerSpec), store);
            Judge judge = Judges.reportingRefusals(Judges.open(JudgeSpec.parse(settings.judge()),
                    m -> new CachedChatModel(opened.open(m), store), console::warn), "judge", settings.judge());
            List<Behavior> harmful = queries.queries().stream().filter(Behavior::harmful).toList();
            RefusalSet written = new RefusalWriter(writer, judge, SamplingParams.of(0.7, 256, settings.seed()))
                    .write(harmful, RefusalSet.builtIn(), console);
            console.info("refusals: " + written.ownCount() + " of " + harmful.size() + " harmful queries got one written by "
                    + writer.id() + "; the rest draw a built-in one");
            return written;
        }
    }
}
