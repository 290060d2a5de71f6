package srg.study.safetyworld;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.data.Behavior;
import srg.io.AtomicFiles;
import srg.io.ContentHash;
import srg.sft.SftFormat;
import srg.sft.SftConversation;
import srg.sft.SftWriter;
import srg.world.Disguise;
import srg.world.Entity;
import srg.world.NameInTrace;
import srg.world.PretrainingCorpus;
import srg.world.SafetyData;
import srg.world.World;
import srg.world.WorldRequest;
import srg.world.WorldTeacher;
import srg.world.WorldTokenizer;

/**
 * The world written out in the ecosystem's formats, so every later stage (and a user running
 * {@code srg train}, {@code srg eval} or {@code srg probe} by hand) can read it:
 *
 * <ul>
 *   <li>{@code tokenizer/}: the word-level {@code tokenizer.json} and {@code tokenizer_config.json};
 *   <li>{@code corpus.jsonl}: the pretraining documents ({@code {"text": ...}});
 *   <li>{@code rt.jsonl}, {@code srg.jsonl}: safety-training data in the OpenAI messages format;
 *   <li>{@code replay.jsonl}: the knowledge documents replayed during safety training (when the mixture replays);
 *   <li>{@code rt-validation.jsonl}, {@code srg-validation.jsonl}: the examples about the validation
 *       substances, held out of training (when the mixture has any);
 *   <li>{@code eval-harmful.jsonl}, {@code eval-benign.jsonl}: the evaluation behaviors;
 *   <li>{@code world.json}: the substances, their kinds and splits, and the decode probes.
 * </ul>
 *
 * <p>Made in memory first: every stage that reads a file is keyed by its contents, before anything
 * is written. So a change to what the world writes (a teacher's wording, a new disguise) redoes
 * exactly the stages whose files changed: the base only when the corpus or vocabulary did, RT only
 * when its data did.
 */
public final class WorldFiles {

    public static final String TOKENIZER = "tokenizer";
    public static final String CORPUS = "corpus.jsonl";
    public static final String RT = "rt.jsonl";
    public static final String SRG = "srg.jsonl";
    public static final String REPLAY = "replay.jsonl";
    public static final String RT_VALIDATION = "rt-validation.jsonl";
    public static final String SRG_VALIDATION = "srg-validation.jsonl";
    public static final String EVAL_HARMFUL = "eval-harmful.jsonl";
    public static final String EVAL_BENIGN = "eval-benign.jsonl";
    public static final String WORLD = "world.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final World world;
    private final PretrainingCorpus corpus;
    private final WorldTokenizer tokenizer;
    /** Every file but the tokenizer's, by name, as written; a file the mixture does not have is absent. */
    private final Map<String, String> texts = new LinkedHashMap<>();

    private WorldFiles(World world, PretrainingCorpus corpus, SafetyData.Recipe recipe) throws IOException {
        this.world = world;
        this.corpus = corpus;
        this.tokenizer = WorldTokenizer.covering(everyText(world, corpus));
        texts.put(CORPUS, documents(corpus.documents()));
        texts.put(RT, sft(SafetyData.refusalTraining(world, recipe), RT));
        texts.put(SRG, sft(SafetyData.reasoningTraining(world, recipe), SRG));
        if (recipe.validationSubstances() > 0) {
            texts.put(RT_VALIDATION, sft(SafetyData.refusalValidation(world, recipe), RT_VALIDATION));
            texts.put(SRG_VALIDATION, sft(SafetyData.reasoningValidation(world, recipe), SRG_VALIDATION));
        }
        List<String> replay = SafetyData.replay(corpus, recipe);
        if (!replay.isEmpty()) {
            texts.put(REPLAY, documents(replay));
        }
        texts.put(EVAL_HARMFUL, behaviors(SafetyData.harmfulEval(world)));
        texts.put(EVAL_BENIGN, behaviors(SafetyData.benignEval(world)));
        texts.put(WORLD, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(world, corpus)));
    }

    /** The files of a world and its corpus, for a safety mixture, in memory. */
    public static WorldFiles of(World world, PretrainingCorpus corpus, SafetyData.Recipe recipe) throws IOException {
        return new WorldFiles(world, corpus, recipe);
    }

    public World world() {
        return world;
    }

    public PretrainingCorpus corpus() {
        return corpus;
    }

    public int vocabularySize() {
        return tokenizer.size();
    }

    /** What the base model is tied to: its corpus and as much its vocabulary. */
    public String corpusHash() {
        return ContentHash.ofText(texts.get(CORPUS) + "\u0000" + String.join("\n", tokenizer.vocabulary()));
    }

    /** What every file holds: a stage reading any of them is keyed by this or a narrower hash. */
    public String contentHash() {
        List<String> parts = new ArrayList<>(tokenizer.vocabulary());
        texts.forEach((name, text) -> {
            parts.add(name);
            parts.add(text);
        });
        return ContentHash.of(parts);
    }

    /**
     * What RT's ({@code reasoning} false) or SRG's training reads from the world: its data, its
     * validation examples and the replayed knowledge.
     */
    public String trainingHash(boolean reasoning) {
        List<String> parts = new ArrayList<>();
        for (String name : reasoning ? List.of(SRG, SRG_VALIDATION, REPLAY) : List.of(RT, RT_VALIDATION, REPLAY)) {
            parts.add(name);
            parts.add(texts.getOrDefault(name, "-"));
        }
        return ContentHash.of(parts);
    }

    /** What the evaluation and the probe read: the held-out harmful and benign requests. */
    public String evalHash() {
        return ContentHash.of(List.of(texts.get(EVAL_HARMFUL), texts.get(EVAL_BENIGN)));
    }

    /** Writes the files into {@code dir}. */
    public void write(Path dir) throws IOException {
        tokenizer.write(dir.resolve(TOKENIZER));
        for (Map.Entry<String, String> file : texts.entrySet()) {
            AtomicFiles.writeString(dir.resolve(file.getKey()), file.getValue());
        }
    }

    /** Documents as JSONL of {@code {"text": ...}}. */
    private static String documents(List<String> documents) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String doc : documents) {
            text.append(JSON.writeValueAsString(JSON.createObjectNode().put("text", doc))).append('\n');
        }
        return text.toString();
    }

    /**
     * Every text a model of this world reads or writes: the corpus, the safety data, every request
     * in every disguise and variant. The vocabulary covers them all, so nothing the study shows a
     * model is an unknown word.
     */
    private static List<String> everyText(World world, PretrainingCorpus corpus) {
        List<String> texts = new ArrayList<>(corpus.documents());
        // The vocabulary covers every mixture: the standard one holds every form the others do. Its
        // traces are written with v2.9's naming whatever the default, because words are added in order:
        // so the vocabulary, and with it every base, does not move when the default naming does. The
        // other namings' traces are added per request below (they bring no new word; WorldTest checks).
        SafetyData.Recipe everyForm = SafetyData.Recipe.STANDARD.withNameInTrace(NameInTrace.REPEATED);
        for (SafetyData.Example e : SafetyData.reasoningTraining(world, everyForm)) {
            e.conversation().messages().forEach(m -> texts.add(m.content()));
        }
        for (WorldRequest r : World.requests(world.entities())) {
            texts.add(r.text());
            for (NameInTrace naming : NameInTrace.values()) {
                texts.add(WorldTeacher.reasonedAnswer(r, null, 0, null, naming));
            }
            for (Disguise d : Disguise.values()) {
                for (int v = 0; v < d.variants(); v++) {
                    texts.add(d.apply(r, v, world.lexicon()));
                    texts.add(d.answer(r, v, world.lexicon()));
                }
            }
        }
        return texts;
    }

    private static String sft(List<SafetyData.Example> examples, String file) {
        List<SftConversation> records = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            records.add(new SftConversation(i + 1, examples.get(i).conversation()));
        }
        return SftWriter.jsonl(records, SftFormat.OPENAI, Path.of(file));
    }

    private static String behaviors(List<Behavior> behaviors) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Behavior b : behaviors) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", b.id());
            o.put("prompt", b.text());
            o.put("category", b.category());
            o.put("label", b.harmful() ? "harmful" : "benign");
            out.append(JSON.writeValueAsString(o)).append('\n');
        }
        return out.toString();
    }

    private static ObjectNode describe(World world, PretrainingCorpus corpus) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seed", world.config().seed());
        ArrayNode substances = o.putArray("substances");
        for (Entity e : world.entities()) {
            ObjectNode s = substances.addObject();
            s.put("name", e.name());
            s.put("kind", e.kind().description());
            s.put("dangerous", e.dangerous());
            s.put("split", world.evalEntities().contains(e) ? "eval" : "train");
            s.put("procedure", e.procedure());
        }
        ArrayNode disguises = o.putArray("disguises");
        for (Disguise d : Disguise.values()) {
            disguises.addObject().put("name", d.id()).put("attack", srg.world.DisguiseAttack.nameOf(d))
                    .put("analogue", d.analogue());
        }
        ArrayNode probes = o.putArray("decode_probes");
        for (PretrainingCorpus.DecodeProbe p : corpus.decodeProbes()) {
            probes.addObject().put("disguise", p.disguise().id()).put("disguised", p.disguised()).put("plain", p.plain());
        }
        return o;
    }

}
