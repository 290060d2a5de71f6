package srg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import srg.UserError;

class ModelSpecTest {

    @Test
    void parsesEveryKind() {
        ModelSpec o = ModelSpec.parse("openai:meta-llama/Llama-3.1-8B-Instruct@http://a:8000/v1/,https://b.example/v1?concurrency=64&extra.top_k=20&name=rt");
        assertEquals(ModelSpec.Kind.OPENAI, o.kind());
        assertEquals("meta-llama/Llama-3.1-8B-Instruct", o.model());
        assertEquals(List.of(URI.create("http://a:8000/v1"), URI.create("https://b.example/v1")), o.baseUrls());
        assertEquals("rt", o.id());
        assertEquals(Map.of("top_k", "20"), o.extraBody());
        assertEquals(64, OpenAiChatModel.Config.from(o, Map.of()).concurrency());

        ModelSpec ollama = ModelSpec.parse("openai:llama3:8b@http://localhost:11434/v1");
        assertEquals("llama3:8b", ollama.id());
        assertEquals("qwen3{chat_template_kwargs={\"enable_thinking\":false}}",
                ModelSpec.parse("openai:qwen3@http://h/v1?extra.chat_template_kwargs={\"enable_thinking\":false}").id());

        ModelSpec local = ModelSpec.parse("checkpoints/qwen-rt?device=cpu");
        assertEquals(ModelSpec.Kind.LOCAL, local.kind());
        assertEquals("qwen-rt", local.id());
        assertEquals("cpu", local.options().get("device"));
        assertEquals(ModelSpec.Kind.LOCAL, ModelSpec.parse("local:/models/x").kind());
        assertEquals("qwen+srg-lora", ModelSpec.parse("local:/models/qwen?adapter=runs/srg-lora").id(),
                "an adapter makes another model, so another run-store key");
        assertEquals("srg", ModelSpec.parse("local:/models/qwen?adapter=runs/srg-lora&name=srg").id());

        ModelSpec sim = ModelSpec.parse("sim:refuse=0.9&seed=3");
        assertEquals("sim-refuse0.9", sim.id());
        assertEquals(3, SimulatedChatModel.from(sim).sample(List.of(srg.chat.SampleRequest.of(srg.chat.Conversation.user("x"), 3)),
                srg.chat.SamplingParams.of(1, 8, 0)).get(0).size());
    }

    @Test
    void openAiKeyGoesOnlyWhereItBelongs() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-openai", "VLLM_KEY", "sk-vllm");
        assertNull(OpenAiChatModel.Config.from(ModelSpec.parse("openai:m@http://localhost:8000/v1"), env).apiKey());
        assertEquals("sk-openai", OpenAiChatModel.Config.from(ModelSpec.parse("openai:gpt-4o-mini@https://api.openai.com/v1"), env).apiKey());
        assertEquals("sk-vllm", OpenAiChatModel.Config.from(ModelSpec.parse("openai:m@http://localhost:8000/v1?key=VLLM_KEY"), env).apiKey());
    }

    @Test
    void mistakesNameTheSpec() {
        Map<String, String> bad = Map.of(
                "openai:m", "expected openai:MODEL@URL",
                "openai:m@ftp://x/v1", "bad base URL",
                "openai:m@http://x/v1?colour=red", "unknown option 'colour'",
                "openai:m@http://x/v1?concurrency=0", "concurrency= takes a whole number >= 1",
                "sim:seed=1", "needs refuse=P",
                "sim:refuse=2", "refuse= takes a number in [0.0, 1.0]",
                "foo:bar", "unknown kind 'foo'",
                "", "empty model spec");
        bad.forEach((spec, message) -> {
            UserError e = assertThrows(UserError.class, () -> ModelSpec.parse(spec), spec);
            assertTrue(e.getMessage().contains(message), spec + " -> " + e.getMessage());
        });
    }
}
