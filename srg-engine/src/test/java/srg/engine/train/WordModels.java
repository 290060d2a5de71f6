package srg.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import srg.engine.model.ModelFamily;
import srg.engine.model.RandomCheckpoint;

/**
 * Tiny random Llama checkpoints with a word-level Hugging Face tokenizer over a given word list
 * and a ChatML-style template: a vocabulary of a few dozen rows keeps training tests fast (the
 * real tokenizers' 128k–152k-row LM heads would dominate every step).
 */
final class WordModels {

    static final String TEMPLATE = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
            + "{{ message['content'] }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private WordModels() {}

    /** Writes a tokenizer for {@code words} (plus role names and specials) into {@code dir}. */
    static void writeTokenizer(Path dir, List<String> words) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> specials = List.of("<unk>", "<|im_start|>", "<|im_end|>", "<|endoftext|>");
        Set<String> vocab = new LinkedHashSet<>(specials);
        vocab.addAll(List.of("system", "user", "assistant"));
        vocab.addAll(words);
        ObjectNode tok = json.createObjectNode();
        tok.put("version", "1.0");
        tok.putNull("truncation");
        tok.putNull("padding");
        ArrayNode added = tok.putArray("added_tokens");
        for (int i = 0; i < specials.size(); i++) {
            added.addObject().put("id", i).put("content", specials.get(i)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        tok.putNull("normalizer");
        tok.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        tok.putNull("post_processor");
        tok.putNull("decoder");
        ObjectNode model = tok.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        int id = 0;
        for (String w : vocab) {
            v.put(w, id++);
        }
        model.put("unk_token", "<unk>");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), json.writeValueAsString(tok));
        ObjectNode cfg = json.createObjectNode();
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|endoftext|>");
        cfg.put("chat_template", TEMPLATE);
        Files.writeString(dir.resolve("tokenizer_config.json"), json.writeValueAsString(cfg));
    }

    /** A 2-layer, hidden-64 random Llama over the word tokenizer, written to {@code dir}. */
    static Path llama(Path dir, List<String> words, long seed) throws IOException {
        return tiny(ModelFamily.LLAMA, dir, words, seed);
    }

    /** A 2-layer, hidden-64 random checkpoint of {@code family} over the word tokenizer, written to {@code dir}. */
    static Path tiny(ModelFamily family, Path dir, List<String> words, long seed) throws IOException {
        Path tokDir = dir.resolve("tokenizer-src");
        writeTokenizer(tokDir, words);
        Path model = dir.resolve("model");
        RandomCheckpoint.write(RandomCheckpoint.Spec.of(family, RandomCheckpoint.Preset.TINY, tokDir, seed), model);
        return model;
    }

    static List<String> words(String... texts) {
        List<String> out = new ArrayList<>();
        for (String t : texts) {
            for (String w : t.trim().split("\\s+")) {
                out.add(w);
            }
        }
        return out;
    }
}
