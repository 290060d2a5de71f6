package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.TestModels;
import srg.engine.tokenizer.ChatTemplate;
import srg.engine.tokenizer.Tokenizer;
import srg.engine.tokenizer.TokenizerInfo;

/** Loss masking with the real tokenizers and templates: exactly the assistant turns are targets. */
class ChatEncoderTest {

    private static Tokenizer qwen3;
    private static Tokenizer llama3;

    @BeforeAll
    static void load() throws IOException {
        qwen3 = Tokenizer.load(TestModels.shared().resolve("tokenizers").resolve("qwen3"));
        llama3 = Tokenizer.load(TestModels.shared().resolve("tokenizers").resolve("llama3"));
    }

    @AfterAll
    static void close() {
        qwen3.close();
        llama3.close();
    }

    /** The target tokens of each assistant turn, decoded with special tokens kept. */
    private static List<String> targetTexts(Tokenizer tok, TrainingExample e) {
        List<String> out = new ArrayList<>();
        int t = 0;
        while (t < e.length()) {
            if (!e.targets()[t]) {
                t++;
                continue;
            }
            int from = t;
            while (t < e.length() && e.targets()[t]) {
                t++;
            }
            out.add(tok.decodeRaw(Arrays.copyOfRange(e.tokens(), from, t)));
        }
        return out;
    }

    /** The tokens outside any target, decoded: the prompt parts of the conversation. */
    private static String promptText(Tokenizer tok, TrainingExample e) {
        long[] kept = new long[e.length()];
        int n = 0;
        for (int t = 0; t < e.length(); t++) {
            if (!e.targets()[t]) {
                kept[n++] = e.tokens()[t];
            }
        }
        return tok.decodeRaw(Arrays.copyOf(kept, n));
    }

    private static ChatEncoder encoder(Tokenizer tok, ChatTemplate template) {
        Set<Long> ends = new LinkedHashSet<>();
        tok.info().endTokenIds().forEach(i -> ends.add((long) i));
        return new ChatEncoder(tok, template, ends);
    }

    private static final Conversation ONE_TURN = Conversation.of(Message.system("Be brief."),
            Message.user("What is the capital of France?"), Message.assistant("Paris is the capital."));

    private static final Conversation TWO_TURNS = Conversation.of(Message.user("Hi there"),
            Message.assistant("Hello! How can I help?"), Message.user("Name a colour 🎨"),
            Message.assistant("Blue, déjà vu."));

    @Test
    void qwen3TrainsOnTheAnswerAndItsEndOfTurnOnly() throws IOException {
        {
            Tokenizer tok = qwen3;
            ChatTemplate template = ChatTemplate.of(tok.info(), "qwen3");
            TrainingExample e = encoder(tok, template).encode(ONE_TURN);
            // Qwen3's template writes an empty think block into the last assistant turn; it is part
            // of what the model must produce after "<|im_start|>assistant\n".
            assertEquals(List.of("<think>\n\n</think>\n\nParis is the capital.<|im_end|>"), targetTexts(tok, e));
            assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is the capital of France?"
                    + "<|im_end|>\n<|im_start|>assistant\n\n", promptText(tok, e));
            assertEquals(template.render(ONE_TURN, false), tok.decodeRaw(e.tokens()));
        }
    }

    @Test
    void qwen3MultiTurnMasksEveryUserTurn() throws IOException {
        {
            Tokenizer tok = qwen3;
            TrainingExample e = encoder(tok, ChatTemplate.of(tok.info(), "qwen3")).encode(TWO_TURNS);
            assertEquals(List.of("Hello! How can I help?<|im_end|>",
                    "<think>\n\n</think>\n\nBlue, déjà vu.<|im_end|>"), targetTexts(tok, e));
            String prompt = promptText(tok, e);
            assertTrue(prompt.contains("Hi there") && prompt.contains("Name a colour 🎨"), prompt);
            assertFalse(prompt.contains("Hello!") || prompt.contains("Blue"), prompt);
        }
    }

    @Test
    void reasoningInsideThinkTagsIsTrained() throws IOException {
        {
            Tokenizer tok = qwen3;
            Conversation c = Conversation.of(Message.user("How do I pick a lock?"),
                    Message.assistant("<think>\nThe intent is unclear; lock-picking is legal on one's own locks.\n</think>\n\nCall a locksmith."));
            TrainingExample e = encoder(tok, ChatTemplate.of(tok.info(), "qwen3")).encode(c);
            assertEquals(List.of("<think>\nThe intent is unclear; lock-picking is legal on one's own locks.\n</think>\n\n"
                    + "Call a locksmith.<|im_end|>"), targetTexts(tok, e));
        }
    }

    @Test
    void llama3TrainsOnTheAnswerThroughEotId() throws IOException {
        {
            Tokenizer tok = llama3;
            TrainingExample e = encoder(tok, ChatTemplate.of(tok.info(), "llama3")).encode(TWO_TURNS);
            assertEquals(List.of("Hello! How can I help?<|eot_id|>", "Blue, déjà vu.<|eot_id|>"), targetTexts(tok, e));
            // The template always ends with an assistant header; it is prompt, not target.
            assertTrue(promptText(tok, e).endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n"));
        }
    }

    @Test
    void plainFormatEndsEachAnswerWithEos() throws IOException {
        {
            Tokenizer tok = llama3;
            TokenizerInfo info = tok.info();
            ChatTemplate plain = new ChatTemplate(ChatTemplate.PLAIN, info.bosToken(), info.eosToken(), "plain");
            TrainingExample e = encoder(tok, plain).encode(TWO_TURNS);
            assertEquals(List.of(" Hello! How can I help?<|end_of_text|>", " Blue, déjà vu.<|end_of_text|>"),
                    targetTexts(tok, e));
            assertEquals("<|begin_of_text|>User: Hi there\n\nAssistant:\n\nUser: Name a colour 🎨\n\nAssistant:\n\n",
                    promptText(tok, e));
        }
    }
}
