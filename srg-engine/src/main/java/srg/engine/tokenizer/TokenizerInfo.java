package srg.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.io.Utf8File;

/**
 * What srg needs from {@code tokenizer.json} and {@code tokenizer_config.json} besides the
 * tokenizer itself: vocabulary size, special tokens, and the chat template.
 */
public record TokenizerInfo(
        int vocabSize,
        Map<String, Integer> specialTokens,
        String bosToken,
        String eosToken,
        boolean addBosToken,
        String chatTemplate) {

    /** End-of-turn markers of common chat formats; any present in the vocabulary ends generation. */
    private static final List<String> END_OF_TURN = List.of(
            "<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>", "</s>", "<|end|>", "<end_of_turn>");

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TokenizerInfo read(Path dir) throws IOException {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.exists(tokenizerJson)) {
            throw new UserError(dir + ": no tokenizer.json (srg needs a Hugging Face fast tokenizer)");
        }
        JsonNode tok = readJson(tokenizerJson);
        int maxId = -1;
        JsonNode vocab = tok.path("model").path("vocab");
        if (vocab.isObject()) {
            for (JsonNode id : vocab) {
                maxId = Math.max(maxId, id.asInt());
            }
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            maxId = vocab.size() - 1;
        }
        Map<String, Integer> special = new HashMap<>();
        for (JsonNode added : tok.path("added_tokens")) {
            int id = added.path("id").asInt();
            maxId = Math.max(maxId, id);
            special.put(added.path("content").asText(), id);
        }
        if (maxId < 0) {
            throw new UserError(tokenizerJson + ": no vocabulary found under model.vocab");
        }
        Path configPath = dir.resolve("tokenizer_config.json");
        JsonNode cfg = Files.exists(configPath) ? readJson(configPath) : JSON.createObjectNode();
        String template = null;
        JsonNode t = cfg.get("chat_template");
        if (t != null && t.isTextual()) {
            template = t.asText();
        } else if (t != null && t.isArray()) { // [{"name": "default", "template": ...}, ...]
            for (JsonNode named : t) {
                if (named.path("name").asText().equals("default")) {
                    template = named.path("template").asText();
                }
            }
        }
        Path jinja = dir.resolve("chat_template.jinja");
        if (template == null && Files.exists(jinja)) {
            template = Utf8File.read(jinja);
        }
        return new TokenizerInfo(maxId + 1, Map.copyOf(special), tokenText(cfg.get("bos_token")),
                tokenText(cfg.get("eos_token")), cfg.path("add_bos_token").asBoolean(false), template);
    }

    private static JsonNode readJson(Path p) throws IOException {
        try {
            return JSON.readTree(Utf8File.open(p));
        } catch (IOException e) {
            throw new UserError(p + ": not valid JSON (" + e.getMessage() + ")");
        }
    }

    /** A special token is written either as a string or as an AddedToken object with "content". */
    private static String tokenText(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.path("content").asText(null);
    }

    public int bosTokenId() {
        Integer id = bosToken == null ? null : specialTokens.get(bosToken);
        return id == null ? -1 : id;
    }

    /** The eos token plus any known end-of-turn marker in the vocabulary. */
    public List<Integer> endTokenIds() {
        Set<Integer> ids = new LinkedHashSet<>();
        if (eosToken != null && specialTokens.containsKey(eosToken)) {
            ids.add(specialTokens.get(eosToken));
        }
        for (String s : END_OF_TURN) {
            Integer id = specialTokens.get(s);
            if (id != null) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }
}
