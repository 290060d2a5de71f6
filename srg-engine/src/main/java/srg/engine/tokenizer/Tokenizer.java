package srg.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) through DJL's binding of the Rust
 * tokenizers library. Text is encoded as is: special tokens come from the chat template's text,
 * never added implicitly, and DJL's default truncation to 512 tokens is switched off.
 */
public final class Tokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerInfo info;

    private Tokenizer(HuggingFaceTokenizer tokenizer, TokenizerInfo info) {
        this.tokenizer = tokenizer;
        this.info = info;
    }

    public static Tokenizer load(Path dir) throws IOException {
        TokenizerInfo info = TokenizerInfo.read(dir);
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false",
                "maxLength", String.valueOf(Integer.MAX_VALUE)));
        return new Tokenizer(hf, info);
    }

    public TokenizerInfo info() {
        return info;
    }

    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Decodes ids to text, dropping special tokens such as end-of-turn markers. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** Decodes ids to text, keeping special tokens (for debugging and templates). */
    public String decodeRaw(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
