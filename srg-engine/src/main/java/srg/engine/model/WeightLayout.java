package srg.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face tensor names and shapes a config implies, in the order transformers writes
 * them. The loader checks a checkpoint against it, the saver and the random initializer follow it.
 */
public final class WeightLayout {

    /** One named tensor; {@code norm} marks RMSNorm weights (initialised to ones). */
    public record Tensor(String name, long[] shape, boolean norm) {}

    private WeightLayout() {}

    public static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }

    public static String weightName(int layer, Projection p) {
        return layerPrefix(layer) + p.path() + ".weight";
    }

    public static String biasName(int layer, Projection p) {
        return layerPrefix(layer) + p.path() + ".bias";
    }

    /** Whether projection {@code p} carries a bias under this config. */
    public static boolean hasBias(ModelConfig c, Projection p) {
        return switch (p) {
            case Q, K, V -> c.attentionBias();
            // Qwen2 puts biases on q, k and v only; Llama's attention_bias covers o as well.
            case O -> c.attentionBias() && c.family() != ModelFamily.QWEN2;
            case GATE, UP, DOWN -> c.mlpBias();
        };
    }

    public static List<Tensor> of(ModelConfig c) {
        List<Tensor> out = new ArrayList<>();
        long h = c.hiddenSize();
        out.add(new Tensor("model.embed_tokens.weight", new long[] {c.vocabSize(), h}, false));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = layerPrefix(i);
            out.add(new Tensor(p + "input_layernorm.weight", new long[] {h}, true));
            for (Projection proj : Projection.values()) {
                if (proj == Projection.GATE) {
                    out.add(new Tensor(p + "post_attention_layernorm.weight", new long[] {h}, true));
                }
                out.add(new Tensor(weightName(i, proj), new long[] {proj.outFeatures(c), proj.inFeatures(c)}, false));
                if (hasBias(c, proj)) {
                    out.add(new Tensor(biasName(i, proj), new long[] {proj.outFeatures(c)}, false));
                }
                if (proj == Projection.V && c.family().qkNorm()) {
                    out.add(new Tensor(p + "self_attn.q_norm.weight", new long[] {c.headDim()}, true));
                    out.add(new Tensor(p + "self_attn.k_norm.weight", new long[] {c.headDim()}, true));
                }
            }
        }
        out.add(new Tensor("model.norm.weight", new long[] {h}, true));
        if (!c.tieWordEmbeddings()) {
            out.add(new Tensor("lm_head.weight", new long[] {c.vocabSize(), h}, false));
        }
        return out;
    }
}
