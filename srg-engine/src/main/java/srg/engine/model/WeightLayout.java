package srg.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The one table of Hugging Face weight names: the tensors a config implies, with their shapes, in
 * the order transformers writes them, and where each one lives in a {@link Transformer}. The model
 * keeps q/k/v and gate/up fused, one array each, so a tensor is either a whole {@link Slot} or a
 * block of its rows ({@link #firstRow}). The loader checks a checkpoint against this table; the
 * model is built, merged into and saved through it; the random initializer follows it.
 */
public final class WeightLayout {

    /** The start of every decoder layer's names: {@code model.layers.N.}. */
    public static final String LAYERS = "model.layers.";

    /**
     * The arrays a model holds, in the order it lists them as trainable parameters, each under its
     * name: a Hugging Face name, or for a fused array srg's own ({@code qkv_proj}, {@code gate_up_proj},
     * which training checkpoints use). Per-layer names follow {@code model.layers.N.}.
     */
    public enum Slot {
        EMBED("model.embed_tokens.weight", false),
        INPUT_NORM("input_layernorm.weight", true),
        QKV("self_attn.qkv_proj.weight", true, Projection.Q, Projection.K, Projection.V),
        QKV_BIAS("self_attn.qkv_proj.bias", true, Projection.Q, Projection.K, Projection.V),
        Q_NORM("self_attn.q_norm.weight", true),
        K_NORM("self_attn.k_norm.weight", true),
        O("self_attn.o_proj.weight", true, Projection.O),
        O_BIAS("self_attn.o_proj.bias", true, Projection.O),
        POST_NORM("post_attention_layernorm.weight", true),
        GATE_UP("mlp.gate_up_proj.weight", true, Projection.GATE, Projection.UP),
        GATE_UP_BIAS("mlp.gate_up_proj.bias", true, Projection.GATE, Projection.UP),
        DOWN("mlp.down_proj.weight", true, Projection.DOWN),
        DOWN_BIAS("mlp.down_proj.bias", true, Projection.DOWN),
        FINAL_NORM("model.norm.weight", false),
        LM_HEAD("lm_head.weight", false);

        private final String path;
        private final boolean inLayer;
        private final List<Projection> parts;

        Slot(String path, boolean inLayer, Projection... parts) {
            this.path = path;
            this.inLayer = inLayer;
            this.parts = List.of(parts);
        }

        /** The array's name; {@code layer} is ignored for the model's own arrays (embedding, final norm, head). */
        public String tensorName(int layer) {
            return inLayer ? layerPrefix(layer) + path : path;
        }

        public boolean inLayer() {
            return inLayer;
        }

        /** Whether the array stacks the outputs of several projections, in {@link #parts()} order. */
        public boolean fused() {
            return parts.size() > 1;
        }

        /** The projections whose weights (or biases) the array holds; none for embeddings and norms. */
        public List<Projection> parts() {
            return parts;
        }

        /** RMSNorm weights, which start at ones. */
        public boolean norm() {
            return path.endsWith("norm.weight");
        }

        private boolean bias() {
            return path.endsWith(".bias");
        }
    }

    /**
     * One named tensor and where it lives.
     *
     * @param layer the decoder layer, or -1 for the model's own tensors
     * @param slot the array that holds it
     * @param firstRow where its rows start in that array (0 unless the array is fused)
     */
    public record Tensor(String name, long[] shape, int layer, Slot slot, int firstRow) {

        /** RMSNorm weights, which start at ones. */
        public boolean norm() {
            return slot.norm();
        }
    }

    private WeightLayout() {}

    public static String layerPrefix(int layer) {
        return LAYERS + layer + ".";
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

    /** The array that holds the weight (or the bias) of projection {@code p}. */
    public static Slot slotOf(Projection p, boolean bias) {
        for (Slot s : Slot.values()) {
            if (s.parts.contains(p) && s.bias() == bias) {
                return s;
            }
        }
        throw new IllegalStateException("no array holds " + p);
    }

    /**
     * Where the output rows of projection {@code p} start in its array: after those of the
     * projections before it there (q, then k, then v; gate, then up). A bias has the same rows.
     */
    public static int firstRow(ModelConfig c, Projection p) {
        int row = 0;
        for (Projection before : slotOf(p, false).parts) {
            if (before == p) {
                return row;
            }
            row += before.outFeatures(c);
        }
        throw new IllegalStateException(p + " is not in its own array");
    }

    public static List<Tensor> of(ModelConfig c) {
        List<Tensor> out = new ArrayList<>();
        long h = c.hiddenSize();
        out.add(whole(Slot.EMBED, -1, c.vocabSize(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            out.add(whole(Slot.INPUT_NORM, i, h));
            for (Projection proj : Projection.values()) {
                if (proj == Projection.GATE) {
                    out.add(whole(Slot.POST_NORM, i, h));
                }
                int row = firstRow(c, proj);
                out.add(new Tensor(weightName(i, proj), new long[] {proj.outFeatures(c), proj.inFeatures(c)}, i, slotOf(proj, false), row));
                if (hasBias(c, proj)) {
                    out.add(new Tensor(biasName(i, proj), new long[] {proj.outFeatures(c)}, i, slotOf(proj, true), row));
                }
                if (proj == Projection.V && c.family().qkNorm()) {
                    out.add(whole(Slot.Q_NORM, i, c.headDim()));
                    out.add(whole(Slot.K_NORM, i, c.headDim()));
                }
            }
        }
        out.add(whole(Slot.FINAL_NORM, -1, h));
        if (!c.tieWordEmbeddings()) {
            out.add(whole(Slot.LM_HEAD, -1, c.vocabSize(), h));
        }
        return out;
    }

    /** A tensor that is a whole array, under the array's own name. */
    private static Tensor whole(Slot slot, int layer, long... shape) {
        return new Tensor(slot.tensorName(layer), shape, layer, slot, 0);
    }
}
