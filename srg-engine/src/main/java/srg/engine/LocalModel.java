package srg.engine;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import srg.UserError;
import srg.chat.Conversation;
import srg.engine.lora.PeftAdapter;
import srg.engine.model.ModelLoader;
import srg.engine.model.Transformer;
import srg.engine.tokenizer.ChatTemplate;
import srg.engine.tokenizer.Tokenizer;

/**
 * A Hugging Face model folder loaded in-process: weights, tokenizer and chat template together,
 * with the set of token ids that end a response.
 */
public final class LocalModel implements AutoCloseable {

    private final Path dir;
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Set<Long> endTokens;

    private LocalModel(Path dir, Transformer transformer, Tokenizer tokenizer) {
        this.dir = dir;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.template = ChatTemplate.of(tokenizer.info(), dir.resolve("tokenizer_config.json").toString());
        Set<Long> ends = new LinkedHashSet<>();
        transformer.config().eosTokenIds().forEach(id -> ends.add((long) id));
        tokenizer.info().endTokenIds().forEach(id -> ends.add((long) id));
        this.endTokens = Set.copyOf(ends);
    }

    public static LocalModel load(Path dir, Device device) throws IOException {
        return load(dir, null, device);
    }

    /**
     * Loads a base model with a PEFT LoRA adapter merged into its weights (in memory only; the
     * base folder is not touched). A null {@code adapterDir} loads the base alone.
     */
    public static LocalModel load(Path dir, Path adapterDir, Device device) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": not a model folder (expected a directory with config.json)");
        }
        if (adapterDir != null && !Files.isDirectory(adapterDir)) {
            throw new UserError(adapterDir + ": not an adapter folder (expected a directory with adapter_config.json)");
        }
        Transformer transformer = ModelLoader.load(dir, device);
        try {
            if (adapterDir != null) {
                PeftAdapter.mergeInto(transformer, adapterDir);
            }
            return new LocalModel(dir, transformer, Tokenizer.load(dir));
        } catch (RuntimeException | IOException e) {
            transformer.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** Token ids that end a response (config eos ids, tokenizer eos, known end-of-turn markers). */
    public Set<Long> endTokens() {
        return endTokens;
    }

    /** The conversation rendered with the generation prompt and tokenized. */
    public long[] promptTokens(Conversation conversation) {
        return tokenizer.encode(template.render(conversation, true));
    }

    public List<Long> endTokenList() {
        return List.copyOf(endTokens);
    }

    @Override
    public void close() {
        transformer.close();
        tokenizer.close();
    }
}
