package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import srg.UserError;

/**
 * config.json is read as transformers reads it, in the layout of transformers ≥ 5
 * ({@code rope_parameters}, {@code layer_types}, {@code dtype}) and the older one, and whatever
 * would change the computation without srg implementing it is refused by file and key.
 */
class ModelConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ObjectNode base(String modelType) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", modelType);
        c.put("hidden_size", 64);
        c.put("intermediate_size", 128);
        c.put("num_hidden_layers", 4);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("vocab_size", 512);
        return c;
    }

    private static ObjectNode with(String modelType, Consumer<ObjectNode> edit) {
        ObjectNode c = base(modelType);
        edit.accept(c);
        return c;
    }

    private ModelConfig read(ObjectNode c) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, c.toString());
        return ModelConfig.read(file);
    }

    @Test
    void ropeParametersOfTransformers5AndTheOlderLayoutGiveTheSameFrequencies() throws IOException {
        ObjectNode v5 = with("llama", c -> c.putObject("rope_parameters").put("rope_type", "llama3")
                .put("rope_theta", 500000.0).put("factor", 8.0).put("low_freq_factor", 1.0)
                .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 64));
        ObjectNode v4 = with("llama", c -> {
            c.put("rope_theta", 500000.0);
            c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                    .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 64);
        });
        ModelConfig a = read(v5);
        ModelConfig b = read(v4);
        assertEquals(500000.0, a.rope().theta());
        assertEquals("llama3", a.rope().type());
        assertEquals(a.rope(), b.rope());
        double[] plain = new RopeParameters(500000.0, "default", 1, 1, 1, 0).inverseFrequencies(16);
        assertFalse(java.util.Arrays.equals(plain, a.rope().inverseFrequencies(16)), "llama3 scaling must change frequencies");
    }

    @Test
    void ropeFollowsTransformersPrecedence() throws IOException {
        // Nothing: theta 10000, plain RoPE.
        assertEquals(new RopeParameters(10000.0, "default", 1, 1, 1, 0), read(base("qwen2")).rope());
        // rope_parameters' own theta wins over a top-level one.
        ModelConfig own = read(with("qwen2", c -> {
            c.put("rope_theta", 5.0);
            c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 1000000.0);
        }));
        assertEquals(1000000.0, own.rope().theta());
        // A legacy "type" key and the top-level theta.
        ModelConfig legacy = read(with("mistral", c -> {
            c.put("rope_theta", 20000.0);
            c.putObject("rope_scaling").put("type", "linear").put("factor", 4.0);
        }));
        assertEquals(new RopeParameters(20000.0, "linear", 4.0, 1, 1, 0), legacy.rope());
        // An empty or null rope_scaling next to rope_parameters (as transformers 5 may write) is ignored.
        ModelConfig mixed = read(with("qwen3", c -> {
            c.putNull("rope_scaling");
            c.putObject("rope_parameters").put("rope_type", "linear").put("rope_theta", 100.0).put("factor", 2.0);
        }));
        assertEquals(new RopeParameters(100.0, "linear", 2.0, 1, 1, 0), mixed.rope());
        // llama3 without original_max_position_embeddings takes max_position_embeddings, as transformers does.
        ModelConfig llama3 = read(with("llama", c -> {
            c.put("max_position_embeddings", 256);
            c.putObject("rope_parameters").put("rope_type", "llama3").put("factor", 8.0)
                    .put("low_freq_factor", 1.0).put("high_freq_factor", 4.0);
        }));
        assertEquals(256, llama3.rope().originalMaxPositions());
    }

    @Test
    void slidingWindowsPerFamily() throws IOException {
        // Mistral: absent key means transformers' 4096 on every layer, null means none.
        assertEquals(List.of(4096, 4096, 4096, 4096), read(base("mistral")).layerWindows());
        assertEquals(List.of(0, 0, 0, 0), read(with("mistral", c -> c.putNull("sliding_window"))).layerWindows());
        // Qwen2: only with use_sliding_window, from max_window_layers on.
        assertEquals(List.of(0, 0, 0, 0), read(with("qwen2", c -> c.put("sliding_window", 8))).layerWindows());
        assertEquals(List.of(0, 0, 8, 8), read(with("qwen2", c -> c.put("use_sliding_window", true)
                .put("sliding_window", 8).put("max_window_layers", 2))).layerWindows());
        // Qwen3 with transformers 5's layer_types.
        ModelConfig q3 = read(with("qwen3", c -> {
            c.put("use_sliding_window", true).put("sliding_window", 16);
            c.putArray("layer_types").add("sliding_attention").add("full_attention").add("sliding_attention")
                    .add("full_attention");
        }));
        assertEquals(List.of(16, 0, 16, 0), q3.layerWindows());
        assertEquals(16, q3.slidingWindow());
        // Llama never slides.
        assertEquals(0, read(with("llama", c -> c.put("sliding_window", 8))).slidingWindow());
    }

    @Test
    void familyDefaultsAndFieldsOfTheOtherLayout() throws IOException {
        ObjectNode q3 = base("qwen3");
        q3.remove("num_key_value_heads");
        q3.put("num_attention_heads", 32);
        ModelConfig qwen3 = read(q3);
        assertEquals(128, qwen3.headDim(), "Qwen3's head_dim defaults to 128, not hidden / heads");
        assertEquals(32, qwen3.numKvHeads(), "Qwen3's num_key_value_heads defaults to 32");
        ObjectNode l = base("llama");
        l.remove("num_key_value_heads");
        assertEquals(4, read(l).numKvHeads(), "Llama defaults to one KV head per attention head");
        ModelConfig eos = read(with("llama", c -> {
            c.putArray("eos_token_id").add(128001).add(128009);
            c.put("dtype", "bfloat16");
            c.put("attention_bias", true).put("mlp_bias", true).put("tie_word_embeddings", true);
        }));
        assertEquals(List.of(128001, 128009), eos.eosTokenIds());
        assertTrue(eos.attentionBias() && eos.mlpBias() && eos.tieWordEmbeddings());
        // transformers' Mistral and Qwen2 have no attention_bias or mlp_bias switch: ignored as there.
        ModelConfig mistral = read(with("mistral", c -> c.put("attention_bias", true).put("mlp_bias", true)));
        assertFalse(mistral.attentionBias() || mistral.mlpBias());
        assertTrue(read(base("qwen2")).attentionBias(), "Qwen2 always has q/k/v biases");
        assertArrayEquals(new int[] {7}, read(with("qwen2", c -> c.put("eos_token_id", 7))).eosTokenIds()
                .stream().mapToInt(Integer::intValue).toArray());
    }

    /** A config that srg cannot run as transformers would, and the key its error must name. */
    record Refused(String what, ObjectNode config, String key) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Refused> refusedConfigs() {
        return List.of(
                new Refused("yarn rope", with("qwen2", c -> c.putObject("rope_parameters").put("rope_type", "yarn")
                        .put("factor", 4.0)), "rope_parameters.rope_type"),
                new Refused("dynamic rope, old layout", with("llama", c -> c.putObject("rope_scaling")
                        .put("type", "dynamic").put("factor", 2.0)), "rope_scaling.type"),
                new Refused("per-layer-type rope", with("qwen3", c -> c.putObject("rope_parameters")
                        .putObject("full_attention").put("rope_type", "default")), "rope_parameters"),
                new Refused("llama3 rope without low_freq_factor", with("llama", c -> c.putObject("rope_parameters")
                        .put("rope_type", "llama3").put("factor", 8.0).put("high_freq_factor", 4.0)),
                        "rope_parameters.low_freq_factor"),
                new Refused("linear rope without factor", with("mistral", c -> c.putObject("rope_scaling")
                        .put("rope_type", "linear")), "rope_scaling.factor"),
                new Refused("partial rotary", with("llama", c -> c.put("partial_rotary_factor", 0.5)),
                        "partial_rotary_factor"),
                new Refused("quantized", with("llama", c -> c.putObject("quantization_config")
                        .put("quant_method", "gptq").put("bits", 4)), "quantization_config"),
                new Refused("architecture of another family", with("llama", c -> c.putArray("architectures")
                        .add("MistralForCausalLM")), "architectures"),
                new Refused("classification head", with("qwen2", c -> c.putArray("architectures")
                        .add("Qwen2ForSequenceClassification")), "architectures"),
                new Refused("unknown layer kind", with("qwen2", c -> c.putArray("layer_types").add("full_attention")
                        .add("chunked_attention").add("full_attention").add("full_attention")), "layer_types"),
                new Refused("layer_types of the wrong length", with("qwen3", c -> c.putArray("layer_types")
                        .add("full_attention")), "layer_types"),
                new Refused("sliding layers without a window", with("qwen3", c -> c.putArray("layer_types")
                        .add("full_attention").add("sliding_attention").add("full_attention").add("full_attention")),
                        "layer_types"),
                new Refused("mixed layers on Mistral", with("mistral", c -> c.put("sliding_window", 8)
                        .putArray("layer_types").add("full_attention").add("sliding_attention")
                        .add("full_attention").add("sliding_attention")), "layer_types"),
                new Refused("sliding window on Llama", with("llama", c -> c.put("use_sliding_window", true)
                        .put("sliding_window", 8)), "use_sliding_window"),
                new Refused("non-positive window", with("qwen2", c -> c.put("use_sliding_window", true)
                        .put("sliding_window", 0)), "sliding_window"),
                new Refused("gelu", with("llama", c -> c.put("hidden_act", "gelu")), "hidden_act"),
                new Refused("fp8 weights", with("qwen3", c -> c.put("dtype", "float8_e4m3fn")), "dtype"),
                new Refused("eos id as text", with("llama", c -> c.put("eos_token_id", "</s>")), "eos_token_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConfigs")
    void unsupportedSettingsAreOneLineErrorsNamingFileAndKey(Refused r) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, r.config().toString());
        UserError e = assertThrows(UserError.class, () -> ModelConfig.read(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString() + ": "), m);
        assertTrue(m.contains("\"" + r.key() + "\""), "should name \"" + r.key() + "\": " + m);
        assertFalse(m.contains("\n"), m);
    }
}
