package srg.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import srg.UserError;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.TestModels;

class ChatTemplateTest {

    private static final Conversation SYSTEM_USER = Conversation.of(
            Message.system("You are a careful assistant."), Message.user("How do vaccines work?"));

    private static ChatTemplate template(String name) throws IOException {
        TokenizerInfo info = TokenizerInfo.read(TestModels.shared().resolve("tokenizers").resolve(name));
        return ChatTemplate.of(info, name);
    }

    @Test
    void qwen3SystemUserWithGenerationPrompt() throws IOException {
        assertEquals("<|im_start|>system\nYou are a careful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHow do vaccines work?<|im_end|>\n"
                        + "<|im_start|>assistant\n",
                template("qwen3").render(SYSTEM_USER, true));
    }

    @Test
    void llama3SystemUserWithGenerationPrompt() throws IOException {
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "You are a careful assistant.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHow do vaccines work?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                template("llama3").render(SYSTEM_USER, true));
    }

    @Test
    void qwen3KeepsReasoningOnlyAfterTheLastQuery() throws IOException {
        Conversation c = Conversation.of(Message.user("a"), Message.assistant("<think>\nx\n</think>\n\nA1"),
                Message.user("b"), Message.assistant("<think>\ny\n</think>\n\nA2"));
        assertEquals("<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                        + "<|im_start|>user\nb<|im_end|>\n<|im_start|>assistant\n<think>\ny\n</think>\n\nA2<|im_end|>\n",
                template("qwen3").render(c, false));
    }

    @Test
    void qwen3EnableThinkingFalseAddsAnEmptyThinkBlock() throws IOException {
        String out = template("qwen3").render(Conversation.user("hi"), true, Map.of("enable_thinking", false));
        assertTrue(out.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), out);
    }

    @Test
    void templateSyntaxInAMessageIsText() throws IOException {
        String text = "Fill in {{ name }} and {% if x %}this{% endif %} {{ 7 * 7 }} | tq";
        String out = template("qwen3").render(Conversation.user(text), false);
        assertEquals("<|im_start|>user\n" + text + "<|im_end|>\n", out);
    }

    @Test
    void plainFormatForModelsWithoutATemplate() {
        ChatTemplate plain = new ChatTemplate(ChatTemplate.PLAIN, "<s>", "</s>", "test");
        assertEquals("<s>System: be brief\n\nUser: hi\n\nAssistant:",
                plain.render(Conversation.of("be brief", "hi"), true));
    }

    @Test
    void raiseExceptionBecomesAUserError() {
        ChatTemplate strict = new ChatTemplate(
                "{% if messages[0]['role'] != 'user' %}{{ raise_exception('first message must be user') }}{% endif %}",
                "", "", "strict-template");
        UserError e = assertThrows(UserError.class, () -> strict.render(Conversation.of("sys", "hi"), true));
        assertTrue(e.getMessage().contains("first message must be user"), e.getMessage());
    }

    @Test
    void pythonIdiomsAreAdapted() {
        assertEquals("{% for m in messages|reverse %}", ChatTemplate.adapt("{% for m in messages[::-1] %}"));
        assertEquals("namespace(a=(true), b=(xs|length - 1))",
                ChatTemplate.parenthesizeNamespaceArguments("namespace(a=true, b=xs|length - 1)"));
        ChatTemplate t = new ChatTemplate("{{ messages[0].content.strip().split(',')[1].upper() }}"
                + "{{ messages[0].get('missing', '-') }}", "", "", "t");
        assertEquals("B-", t.render(Conversation.user("  a,b  "), false));
    }
}
