package srg.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import srg.SettingError;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsWriter;
import srg.engine.tokenizer.TokenizerInfo;

/**
 * Writes random-weight checkpoints in Hugging Face layout, like the "tiny-random" models people
 * test with: the real config and tokenizer, weights drawn from N(0, 0.02) as transformers
 * initialises them. No weights can be downloaded here, so tests and benchmarks run on these.
 */
public final class RandomCheckpoint {

    /** Model shapes. {@code B0_5} has the shapes of Qwen2.5-0.5B. */
    public enum Preset {
        TINY,
        B0_5;

        public static Preset parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "tiny" -> TINY;
                case "0.5b" -> B0_5;
                default -> throw SettingError.of("preset", "unknown preset \"" + s + "\" (known: tiny, 0.5b)");
            };
        }
    }

    /**
     * What to write.
     *
     * @param exact16Bit draw weights on a grid that F16 and BF16 represent exactly, so the same
     *     weights can be written in any dtype and load back identical
     * @param overrides extra config.json fields, applied last (e.g. a smaller sliding window)
     */
    public record Spec(ModelFamily family, Preset preset, Path tokenizerDir, long seed, DType dtype,
            boolean exact16Bit, long maxShardBytes, ObjectNode overrides) {

        public static Spec of(ModelFamily family, Preset preset, Path tokenizerDir, long seed) {
            return new Spec(family, preset, tokenizerDir, seed, DType.F32, false, ModelWriter.DEFAULT_SHARD_BYTES, null);
        }

        public Spec withDType(DType d) {
            return new Spec(family, preset, tokenizerDir, seed, d, exact16Bit, maxShardBytes, overrides);
        }

        public Spec withExact16Bit() {
            return new Spec(family, preset, tokenizerDir, seed, dtype, true, maxShardBytes, overrides);
        }

        public Spec withMaxShardBytes(long bytes) {
            return new Spec(family, preset, tokenizerDir, seed, dtype, exact16Bit, bytes, overrides);
        }

        public Spec withOverrides(ObjectNode o) {
            return new Spec(family, preset, tokenizerDir, seed, dtype, exact16Bit, maxShardBytes, o);
        }
    }

    private static final double INIT_STD = 0.02;

    private RandomCheckpoint() {}

    public static ModelConfig write(Spec spec, Path out) throws IOException {
        TokenizerInfo tokenizer = TokenizerInfo.read(spec.tokenizerDir());
        ObjectNode json = configJson(spec, tokenizer);
        ModelConfig config = ModelConfig.fromJson(json, "generated config");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (WeightLayout.Tensor t : WeightLayout.of(config)) {
            entries.add(new SafetensorsWriter.Entry(t.name(), t.shape(), spec.dtype(), () -> draw(spec, t)));
        }
        ModelWriter.writeFolder(json, entries, out, spec.dtype(), spec.tokenizerDir(), spec.maxShardBytes());
        return config;
    }

    private static FloatBuffer draw(Spec spec, WeightLayout.Tensor t) {
        long n = 1;
        for (long d : t.shape()) {
            n *= d;
        }
        float[] values = new float[Math.toIntExact(n)];
        if (t.norm()) {
            Arrays.fill(values, 1f);
            return FloatBuffer.wrap(values);
        }
        // One stream per tensor, keyed by name: a tensor's values do not depend on the others.
        long key = spec.seed() * 0x9E3779B97F4A7C15L
                ^ Arrays.hashCode(t.name().getBytes(StandardCharsets.UTF_8));
        SplittableRandom rng = new SplittableRandom(key);
        boolean bias = t.name().endsWith(".bias");
        for (int i = 0; i < values.length; i++) {
            double g = rng.nextGaussian() * INIT_STD;
            if (spec.exact16Bit()) {
                // Multiples of 2^-12 up to 255/4096 fit both BF16 (8 significant bits) and F16.
                g = Math.max(-255, Math.min(255, Math.rint(g * 4096))) / 4096.0;
            }
            values[i] = bias ? (float) (g * 0.5) : (float) g;
        }
        return FloatBuffer.wrap(values);
    }

    static ObjectNode configJson(Spec spec, TokenizerInfo tokenizer) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        ModelFamily f = spec.family();
        c.putArray("architectures").add(f.architecture());
        c.put("model_type", f.modelType());
        boolean tiny = spec.preset() == Preset.TINY;
        int hidden = tiny ? 64 : 896;
        int heads = tiny ? 4 : 14;
        c.put("hidden_size", hidden);
        c.put("intermediate_size", tiny ? 128 : 4864);
        c.put("num_hidden_layers", tiny ? 2 : 24);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", 2);
        c.put("head_dim", hidden / heads);
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", tiny ? 4096 : 32768);
        c.put("rms_norm_eps", 1e-6);
        c.put("initializer_range", INIT_STD);
        c.put("tie_word_embeddings", true);
        int vocab = tokenizer.vocabSize();
        // Qwen2.5-0.5B pads its embedding to 151936 rows; keep that shape where the tokenizer fits.
        c.put("vocab_size", !tiny && vocab <= 151936 ? 151936 : (vocab + 63) / 64 * 64);
        switch (f) {
            case LLAMA -> {
                c.put("rope_theta", 500000.0);
                ObjectNode scaling = c.putObject("rope_scaling");
                scaling.put("rope_type", "llama3");
                scaling.put("factor", 32.0);
                scaling.put("low_freq_factor", 1.0);
                scaling.put("high_freq_factor", 4.0);
                scaling.put("original_max_position_embeddings", 8192);
                c.put("attention_bias", false);
                c.put("mlp_bias", false);
            }
            case MISTRAL -> {
                c.put("rope_theta", 1000000.0);
                c.put("sliding_window", 4096);
            }
            case QWEN2 -> {
                c.put("rope_theta", 1000000.0);
                c.put("use_sliding_window", false);
            }
            case QWEN3 -> {
                c.put("rope_theta", 1000000.0);
                c.put("attention_bias", false);
                c.put("use_sliding_window", false);
            }
        }
        if (tokenizer.bosTokenId() >= 0) {
            c.put("bos_token_id", tokenizer.bosTokenId());
        }
        ArrayNode eos = c.putArray("eos_token_id");
        tokenizer.endTokenIds().forEach(eos::add);
        c.put("torch_dtype", "float32");
        c.put("transformers_version", "4.51.0");
        if (spec.overrides() != null) {
            c.setAll(spec.overrides());
        }
        return c;
    }
}
