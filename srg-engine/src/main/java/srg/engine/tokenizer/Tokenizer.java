package srg.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import srg.engine.Offline;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) through DJL's binding of the Rust
 * tokenizers library. Text is encoded as is: special tokens come from the chat template's text,
 * never added implicitly, and DJL's default truncation to 512 tokens is switched off.
 */
public final class Tokenizer implements AutoCloseable {

    static {
        Offline.enforce();
    }

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

    /** Token ids and, for each token, the UTF-16 index in the text where it starts. */
    public record Encoded(long[] ids, int[] starts) {}

    /**
     * Encodes {@code text} and reports where each token starts, so that callers can tell which
     * tokens came from which part of the text (e.g. the assistant turns of a rendered chat).
     */
    public Encoded encodeWithOffsets(String text) {
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
        // The Rust library counts Unicode scalar values; Java strings count UTF-16 units.
        int codePoints = text.codePointCount(0, text.length());
        int[] utf16 = null;
        if (codePoints != text.length()) {
            utf16 = new int[codePoints + 1];
            for (int cp = 0, at = 0; cp <= codePoints; cp++) {
                utf16[cp] = at;
                at = at < text.length() ? text.offsetByCodePoints(at, 1) : at;
            }
        }
        int[] starts = new int[ids.length];
        int previous = 0;
        for (int i = 0; i < ids.length; i++) {
            int start = spans[i] == null ? previous : spans[i].getStart();
            starts[i] = utf16 == null ? start : utf16[Math.min(start, codePoints)];
            previous = start;
        }
        return new Encoded(ids, starts);
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
