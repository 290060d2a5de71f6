package srg.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.judge.Judge;
import srg.judge.JudgeSpec;
import srg.judge.Judges;
import srg.store.CachedChatModel;
import srg.store.RunStore;
import srg.synth.AcceptanceReport;
import srg.synth.CoverageJudge;
import srg.synth.Guidelines;
import srg.synth.KeywordCoverageJudge;
import srg.synth.ModelCoverageJudge;
import srg.synth.QuerySet;
import srg.synth.RejectionFilter;
import srg.synth.Synthesizer;
import srg.synth.TeacherPrompt;

/**
 * SRG synthesis from its {@link SynthSettings}: the teacher reasons with the guidelines, the
 * rejection filter keeps the good samples, and the kept ones become SFT data. Every teacher and
 * judge-model completion is kept in a run store, so a rerun asks only for what is missing.
 * srg synth and the study's synth stage run through here.
 */
public final class Synthesis {

    private final SynthSettings settings;
    private final Console console;

    public Synthesis(SynthSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
    }

    /** What one synthesis produced, and where the teacher's samples came from. */
    public record Outcome(AcceptanceReport report, Synthesizer.Outputs outputs, int queries, long cachedSamples, long drawnSamples,
            long failedSamples) {}

    /** The guideline set: the built-in one or the file's, restricted to the required names. */
    public Guidelines guidelines() {
        Guidelines set = settings.guidelines() == null ? Guidelines.defaults() : Guidelines.load(settings.guidelines());
        if (settings.require() != null) {
            set = set.requiring(settings.require().stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        return set;
    }

    /** The behaviors of {@code files}: the harmful rows of harmful files, or the benign rows of benign ones. */
    public static List<Behavior> load(List<String> files, boolean harmfulSide) {
        List<Behavior> out = new ArrayList<>();
        for (String f : files) {
            var d = DatasetLoader.load(DatasetSpec.parse(f), harmfulSide);
            out.addAll(harmfulSide ? d.harmful() : d.benign());
        }
        return out;
    }

    /** The queries, loaded now: a bad dataset fails before any model is opened. */
    public QuerySet queries() {
        return new QuerySet(load(settings.harmful(), true), load(settings.benign(), false));
    }

    /**
     * Synthesizes into {@code sft} (with {@code NAME.rejected.jsonl} and {@code NAME.summary.json}
     * beside it), the completions cached in {@code cacheDir}.
     */
    public Outcome run(QuerySet queries, Path sft, Path cacheDir, Provenance provenance) {
        Guidelines set = guidelines();
        Synthesizer.Outputs outputs = Synthesizer.Outputs.beside(sft);
        try (OpenedModels opened = new OpenedModels(console); RunStore store = RunStore.open(cacheDir)) {
            CachedChatModel teacher = new CachedChatModel(opened.open(settings.teacher()), store);
            Judge judge = Judges.reportingRefusals(Judges.open(JudgeSpec.parse(settings.judge()),
                    m -> new CachedChatModel(opened.open(m), store), console::warn), "judge", settings.judge());
            CoverageJudge coverage = settings.coverageJudge() == null ? new KeywordCoverageJudge(set)
                    : new ModelCoverageJudge(new CachedChatModel(opened.open(settings.coverageJudge()), store), set,
                            32 * set.guidelines().size());
            RejectionFilter filter = new RejectionFilter(set, settings.thinkTags(), coverage, judge, settings.keep());
            Synthesizer synthesizer = new Synthesizer(new TeacherPrompt(set, settings.thinkTags(), settings.instructions()), teacher,
                    filter, settings.k(), settings.sampling(), settings.batch(), console);
            if (queries.duplicates() > 0) {
                console.warn(queries.duplicates() + " queries given more than once are used once");
            }
            AcceptanceReport report = synthesizer.run(queries, outputs, config(provenance, cacheDir));
            return new Outcome(report, outputs, queries.size(), teacher.cachedSamples(), teacher.drawnSamples(), teacher.failedSamples());
        }
    }

    private ObjectNode config(Provenance provenance, Path cacheDir) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        provenance.write(c);
        c.put("teacher_spec", settings.teacher());
        c.put("judge_spec", settings.judge());
        c.put("coverage_judge_spec", settings.coverageJudge());
        c.put("guidelines_file", settings.guidelines() == null ? null : settings.guidelines().toAbsolutePath().normalize().toString());
        ArrayNode h = c.putArray("harmful");
        settings.harmful().forEach(h::add);
        ArrayNode b = c.putArray("benign");
        settings.benign().forEach(b::add);
        c.put("batch", settings.batch());
        c.put("cache", cacheDir.toAbsolutePath().normalize().toString());
        return c;
    }
}
