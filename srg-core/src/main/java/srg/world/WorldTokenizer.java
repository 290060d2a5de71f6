package srg.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import srg.io.AtomicFiles;

/**
 * SafetyWorld's word-level tokenizer, written in the Hugging Face {@code tokenizer.json} format
 * (a WordLevel model behind a whitespace split) with a {@code tokenizer_config.json} holding the
 * chat template, so the ordinary engine loads the world's model like any checkpoint.
 */
public final class WorldTokenizer {

    /** Special tokens, ids 0..n-1. Think tags are added tokens but not special: decoding keeps them. */
    static final List<String> SPECIAL = List.of(ChatFormat.PAD, ChatFormat.UNK, ChatFormat.END, ChatFormat.USER,
            ChatFormat.ASSISTANT, ChatFormat.SYSTEM);
    static final List<String> NON_SPECIAL_ADDED = List.of(WorldTeacher.THINK_OPEN, WorldTeacher.THINK_CLOSE);

    private final List<String> vocabulary;

    private WorldTokenizer(List<String> vocabulary) {
        this.vocabulary = List.copyOf(vocabulary);
    }

    /** The vocabulary of every word in the given texts, after the special tokens. */
    public static WorldTokenizer covering(Collection<String> texts) {
        Set<String> vocab = new LinkedHashSet<>(SPECIAL);
        vocab.addAll(NON_SPECIAL_ADDED);
        for (String text : texts) {
            for (String w : text.split(" ")) {
                if (!w.isEmpty()) {
                    vocab.add(w);
                }
            }
        }
        return new WorldTokenizer(new ArrayList<>(vocab));
    }

    public List<String> vocabulary() {
        return vocabulary;
    }

    public int size() {
        return vocabulary.size();
    }

    /** Writes tokenizer.json and tokenizer_config.json into {@code dir}. */
    public void write(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL.size() + NON_SPECIAL_ADDED.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", i);
            t.put("content", vocabulary.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", i < SPECIAL.size());
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < vocabulary.size(); i++) {
            vocab.put(vocabulary.get(i), i);
        }
        model.put("unk_token", ChatFormat.UNK);
        AtomicFiles.writeString(dir.resolve("tokenizer.json"), json.writeValueAsString(root));

        ObjectNode config = json.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("chat_template", ChatFormat.TEMPLATE);
        config.put("eos_token", ChatFormat.END);
        config.put("pad_token", ChatFormat.PAD);
        config.put("unk_token", ChatFormat.UNK);
        config.putNull("bos_token");
        config.put("add_bos_token", false);
        config.put("model_max_length", 1024);
        AtomicFiles.writeString(dir.resolve("tokenizer_config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    }

    public int id(String token) {
        return vocabulary.indexOf(token);
    }
}
