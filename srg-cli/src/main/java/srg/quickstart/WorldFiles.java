package srg.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.data.Behavior;
import srg.io.AtomicFiles;
import srg.io.ContentHash;
import srg.sft.SftData;
import srg.sft.SftFormat;
import srg.sft.SftConversation;
import srg.sft.SftWriter;
import srg.world.Disguise;
import srg.world.Entity;
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
 *   <li>{@code eval-harmful.jsonl}, {@code eval-benign.jsonl}: the evaluation behaviors;
 *   <li>{@code world.json}: the substances, their kinds and splits, and the decode probes.
 * </ul>
 */
public record WorldFiles(Path dir, Path tokenizerDir, int vocabularySize, String corpusHash) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static WorldFiles write(World world, PretrainingCorpus corpus, SafetyData.Recipe recipe, Path dir) throws IOException {
        WorldTokenizer tokenizer = WorldTokenizer.covering(everyText(world, corpus));
        Path tokenizerDir = dir.resolve("tokenizer");
        tokenizer.write(tokenizerDir);
        StringBuilder corpusText = new StringBuilder();
        for (String doc : corpus.documents()) {
            corpusText.append(JSON.writeValueAsString(JSON.createObjectNode().put("text", doc))).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("corpus.jsonl"), corpusText.toString());
        writeSft(SafetyData.refusalTraining(world, recipe), dir.resolve("rt.jsonl"));
        writeSft(SafetyData.reasoningTraining(world, recipe), dir.resolve("srg.jsonl"));
        writeBehaviors(SafetyData.harmfulEval(world), dir.resolve("eval-harmful.jsonl"));
        writeBehaviors(SafetyData.benignEval(world), dir.resolve("eval-benign.jsonl"));
        AtomicFiles.writeString(dir.resolve("world.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(world, corpus)));
        // The base model is tied to its vocabulary as much as to its corpus.
        return new WorldFiles(dir, tokenizerDir, tokenizer.size(),
                ContentHash.ofText(corpusText + "\u0000" + String.join("\n", tokenizer.vocabulary())));
    }

    /**
     * Every text a model of this world reads or writes: the corpus, the safety data, every request
     * in every disguise and variant. The vocabulary covers them all, so nothing the study shows a
     * model is an unknown word.
     */
    private static List<String> everyText(World world, PretrainingCorpus corpus) {
        List<String> texts = new ArrayList<>(corpus.documents());
        // The vocabulary covers every mixture: the standard one holds every form the others do.
        for (SafetyData.Example e : SafetyData.reasoningTraining(world, SafetyData.Recipe.STANDARD)) {
            e.conversation().messages().forEach(m -> texts.add(m.content()));
        }
        for (WorldRequest r : World.requests(world.entities())) {
            texts.add(r.text());
            texts.add(WorldTeacher.reasonedAnswer(r));
            for (Disguise d : Disguise.values()) {
                for (int v = 0; v < d.variants(); v++) {
                    texts.add(d.apply(r, v, world.lexicon()));
                    texts.add(d.answer(r, v, world.lexicon()));
                }
            }
        }
        return texts;
    }

    private static void writeSft(List<SafetyData.Example> examples, Path file) throws IOException {
        List<SftConversation> records = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            records.add(new SftConversation(i + 1, examples.get(i).conversation()));
        }
        SftWriter.write(new SftData(file, SftFormat.OPENAI, records, 0, List.of()), SftFormat.OPENAI, file);
    }

    private static void writeBehaviors(List<Behavior> behaviors, Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Behavior b : behaviors) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", b.id());
            o.put("prompt", b.text());
            o.put("category", b.category());
            o.put("label", b.harmful() ? "harmful" : "benign");
            out.append(JSON.writeValueAsString(o)).append('\n');
        }
        AtomicFiles.writeString(file, out.toString());
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
