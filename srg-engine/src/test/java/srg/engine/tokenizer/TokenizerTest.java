package srg.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import srg.engine.TestModels;

class TokenizerTest {

    @Test
    void longTextIsNotTruncated() throws IOException {
        try (Tokenizer t = Tokenizer.load(TestModels.shared().resolve("tokenizers/qwen3"))) {
            String text = "the quick brown fox jumps over the lazy dog ".repeat(200);
            long[] ids = t.encode(text);
            assertTrue(ids.length > 1500, "only " + ids.length + " tokens: truncated?");
            assertEquals(text, t.decode(ids));
        }
    }

    @Test
    void specialTokensInTemplateTextBecomeSpecialIds() throws IOException {
        try (Tokenizer t = Tokenizer.load(TestModels.shared().resolve("tokenizers/llama3"))) {
            long[] ids = t.encode("<|begin_of_text|><|start_header_id|>user<|end_header_id|>");
            assertEquals(128000, ids[0]);
            assertEquals(128006, ids[1]);
            assertTrue(t.info().endTokenIds().contains(128009), "eot_id ends turns");
            assertEquals("user", t.decode(ids));
        }
    }

    @Test
    void vocabularySizeCoversAddedTokens() throws IOException {
        TokenizerInfo qwen = TokenizerInfo.read(TestModels.shared().resolve("tokenizers/qwen3"));
        assertTrue(qwen.vocabSize() > 151643, "added tokens counted: " + qwen.vocabSize());
        assertEquals(qwen.specialTokens().get("<|im_end|>"), qwen.endTokenIds().get(0));
    }
}
