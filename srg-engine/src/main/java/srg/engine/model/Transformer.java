package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer in the Llama/Mistral/Qwen2/Qwen3 family: token embedding, N pre-norm
 * blocks of rotary grouped-query attention and a SwiGLU MLP, a final RMSNorm and the LM head.
 *
 * <p>One forward pass serves generation (with a {@link KvCache}), hidden-state extraction (with a
 * {@link LayerObserver}) and training (with autograd and optional {@link Adapters}). Every op is
 * called on the activation, never on a weight, so temporaries land in the caller's NDManager and
 * are freed with it; with a KV cache, each block's are freed as soon as the block is done.
 */
public final class Transformer implements AutoCloseable {

    /** Sees the residual stream after the embedding (layer 0) and after each block (1..L). */
    @FunctionalInterface
    public interface LayerObserver {
        void onLayer(int index, NDArray hidden);
    }

    /** A trainable tensor with its (possibly fused) name. */
    public record Parameter(String name, NDArray array) {}

    private final ModelConfig config;
    private final NDManager manager;
    private final NDArray embed;
    private final NDArray finalNorm;
    private final NDArray lmHead;
    private final List<Block> blocks;
    private final Rotary rotary;

    /**
     * Builds the model from Hugging Face-named tensors (ownership passes to the model; fused
     * matrices are built and the originals closed).
     */
    Transformer(ModelConfig config, NDManager manager, Map<String, NDArray> tensors) {
        this.config = config;
        this.manager = manager;
        this.embed = tensors.get("model.embed_tokens.weight");
        this.finalNorm = tensors.get("model.norm.weight");
        this.lmHead = config.tieWordEmbeddings() ? embed : tensors.get("lm_head.weight");
        this.blocks = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String p = WeightLayout.layerPrefix(i);
            blocks.add(new Block(
                    tensors.get(p + "input_layernorm.weight"),
                    fuse(tensors, WeightLayout.weightName(i, Projection.Q), WeightLayout.weightName(i, Projection.K),
                            WeightLayout.weightName(i, Projection.V)),
                    config.attentionBias()
                            ? fuse(tensors, WeightLayout.biasName(i, Projection.Q), WeightLayout.biasName(i, Projection.K),
                                    WeightLayout.biasName(i, Projection.V))
                            : null,
                    tensors.get(p + "self_attn.q_norm.weight"),
                    tensors.get(p + "self_attn.k_norm.weight"),
                    tensors.get(WeightLayout.weightName(i, Projection.O)),
                    tensors.get(WeightLayout.biasName(i, Projection.O)),
                    tensors.get(p + "post_attention_layernorm.weight"),
                    fuse(tensors, WeightLayout.weightName(i, Projection.GATE), WeightLayout.weightName(i, Projection.UP)),
                    config.mlpBias()
                            ? fuse(tensors, WeightLayout.biasName(i, Projection.GATE), WeightLayout.biasName(i, Projection.UP))
                            : null,
                    tensors.get(WeightLayout.weightName(i, Projection.DOWN)),
                    tensors.get(WeightLayout.biasName(i, Projection.DOWN))));
        }
        this.rotary = new Rotary(config);
    }

    private NDArray fuse(Map<String, NDArray> tensors, String... names) {
        NDArray[] parts = new NDArray[names.length];
        for (int i = 0; i < names.length; i++) {
            parts[i] = tensors.get(names[i]);
        }
        NDArray fused = NDArrays.concat(new ai.djl.ndarray.NDList(parts), 0);
        fused.attach(manager);
        for (NDArray part : parts) {
            part.close();
        }
        return fused;
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public Rotary rotary() {
        return rotary;
    }

    /**
     * Runs the blocks over {@code tokens} ([B, T] int64) and returns the final-normed hidden
     * states [B, T, H].
     *
     * @param in rotary tables and per-layer attention masks (see {@link ForwardInputs#build})
     * @param cache KV cache to append to, or null for a standalone pass
     * @param adapters LoRA terms, or null
     * @param observer residual-stream observer, or null
     */
    public NDArray forward(NDArray tokens, ForwardInputs in, KvCache cache, Adapters adapters, LayerObserver observer) {
        NDArray x = Embedding.embedding(tokens, embed, SparseFormat.DENSE).singletonOrThrow();
        if (observer != null) {
            observer.onLayer(0, x);
        }
        NDManager step = x.getManager();
        for (int i = 0; i < blocks.size(); i++) {
            if (cache == null) {
                // Training needs every block's temporaries for the backward pass: they stay in the caller's manager.
                x = block(i, x, in, null, adapters);
            } else {
                // Generation needs none of them once the block is done. Freed here, a prefill holds
                // one block's temporaries (the MLP's [B, T, 2 x intermediate] above all) instead of
                // every block's until the caller's manager closes; only the residual stream leaves.
                try (NDManager scope = step.newSubManager()) {
                    if (observer == null) {
                        x.attach(scope); // the block's input is not needed after it
                    } else {
                        x.tempAttach(scope); // the observer may hold it: back to the caller's manager after
                    }
                    x = block(i, x, in, cache, adapters);
                    x.attach(step);
                }
            }
            if (observer != null) {
                observer.onLayer(i + 1, x);
            }
        }
        if (cache != null) {
            cache.commit();
        }
        return rmsNorm(x, finalNorm);
    }

    /** One pre-norm block: x + attention(norm(x)), then that + mlp(norm(that)). Temporaries land in x's manager. */
    private NDArray block(int i, NDArray x, ForwardInputs in, KvCache cache, Adapters adapters) {
        Block b = blocks.get(i);
        NDArray h = x.add(attention(i, b, rmsNorm(x, b.inputNorm), in.cos(), in.sin(), in.mask(i), cache, adapters));
        return h.add(mlp(i, b, rmsNorm(h, b.postNorm), adapters));
    }

    /** The final RMSNorm, for callers that read the residual stream (hidden-state extraction). */
    public NDArray finalNorm(NDArray residual) {
        return rmsNorm(residual, finalNorm);
    }

    /** Vocabulary logits [..., V] for final-normed hidden states [..., H]. */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, lmHead).singletonOrThrow();
    }

    private NDArray attention(int layer, Block b, NDArray h, NDArray cos, NDArray sin, NDArray mask,
            KvCache cache, Adapters adapters) {
        Shape s = h.getShape();
        long batch = s.get(0);
        long steps = s.get(1);
        int q = config.qSize();
        int kv = config.kvSize();
        int d = config.headDim();
        NDArray qkv = Linear.linear(h, b.qkv, b.qkvBias).singletonOrThrow();
        NDArray qs = qkv.get(new NDIndex(":, :, 0:{}", q));
        NDArray ks = qkv.get(new NDIndex(":, :, {}:{}", q, q + kv));
        NDArray vs = qkv.get(new NDIndex(":, :, {}:", q + kv));
        if (adapters != null) {
            qs = plus(qs, adapters.delta(layer, Projection.Q, h));
            ks = plus(ks, adapters.delta(layer, Projection.K, h));
            vs = plus(vs, adapters.delta(layer, Projection.V, h));
        }
        qs = qs.reshape(batch, steps, config.numHeads(), d);
        ks = ks.reshape(batch, steps, config.numKvHeads(), d);
        vs = vs.reshape(batch, steps, config.numKvHeads(), d);
        if (b.qNorm != null) {
            qs = rmsNorm(qs, b.qNorm);
            ks = rmsNorm(ks, b.kNorm);
        }
        qs = rotate(qs.transpose(0, 2, 1, 3), cos, sin);
        ks = rotate(ks.transpose(0, 2, 1, 3), cos, sin);
        vs = vs.transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] all = cache.append(layer, ks, vs);
            ks = all[0];
            vs = all[1];
        }
        NDArray attended = attend(qs, ks, vs, mask, batch, steps);
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, steps, q);
        NDArray out = Linear.linear(merged, b.o, b.oBias).singletonOrThrow();
        return adapters == null ? out : plus(out, adapters.delta(layer, Projection.O, merged));
    }

    /**
     * Scaled dot-product attention with grouped KV heads. Queries of the heads that share a KV head
     * are stacked into one matrix ([B, kvH, G*T, d]) so a single batched matmul serves the group
     * without copying keys G times.
     */
    private NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, long batch, long steps) {
        int kvHeads = config.numKvHeads();
        int groups = config.groups();
        int d = config.headDim();
        long keysLen = k.getShape().get(2);
        NDArray grouped = q.reshape(batch, kvHeads, groups * steps, d);
        NDArray scores = grouped.matMul(k.transpose(0, 1, 3, 2)).mul(scalar(grouped, 1.0 / Math.sqrt(d)));
        if (mask != null) {
            scores = scores.reshape(batch, kvHeads, groups, steps, keysLen).add(mask)
                    .reshape(batch, kvHeads, groups * steps, keysLen);
        }
        NDArray weights = scores.softmax(-1);
        return weights.matMul(v).reshape(batch, config.numHeads(), steps, d);
    }

    private NDArray mlp(int layer, Block b, NDArray h, Adapters adapters) {
        int inter = config.intermediateSize();
        NDArray gu = Linear.linear(h, b.gateUp, b.gateUpBias).singletonOrThrow();
        NDArray gate = gu.get(new NDIndex("..., 0:{}", inter));
        NDArray up = gu.get(new NDIndex("..., {}:", inter));
        if (adapters != null) {
            gate = plus(gate, adapters.delta(layer, Projection.GATE, h));
            up = plus(up, adapters.delta(layer, Projection.UP, h));
        }
        NDArray act = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
        NDArray out = Linear.linear(act, b.down, b.downBias).singletonOrThrow();
        return adapters == null ? out : plus(out, adapters.delta(layer, Projection.DOWN, act));
    }

    private static NDArray plus(NDArray base, NDArray delta) {
        return delta == null ? base : base.add(delta);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray inv = x.square().mean(new int[] {-1}, true).add(config.rmsNormEps()).pow(scalar(x, -0.5));
        return x.mul(inv).mul(weight);
    }

    /**
     * A scalar in the activation's manager, for ops whose backward needs it (mul, div, pow).
     * DJL's {@code x.mul(2.0)} makes the scalar from a Java direct buffer and frees that buffer's
     * owner at once; autograd keeps the scalar for the backward pass, so after a garbage
     * collection the backward pass reads freed memory and the gradients are garbage. A scalar
     * owned by the step's manager lives until the step is over.
     */
    static NDArray scalar(NDArray like, double value) {
        return like.getManager().create(value);
    }

    /** Rotary embedding in the rotate-half form: x·cos + [-x2, x1]·sin. */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., 0:{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /**
     * Adds {@code delta} ([out, in], on this model's device) to the weight of projection {@code p}
     * of {@code layer}, in place. Merging a LoRA adapter uses it; for q/k/v and gate/up it updates
     * the projection's rows of the fused matrix.
     */
    public void addToProjectionWeight(int layer, Projection p, NDArray delta) {
        Block b = blocks.get(layer);
        int q = config.qSize();
        int kv = config.kvSize();
        int inter = config.intermediateSize();
        switch (p) {
            case Q -> addToRows(b.qkv, 0, q, delta);
            case K -> addToRows(b.qkv, q, q + kv, delta);
            case V -> addToRows(b.qkv, q + kv, q + 2 * kv, delta);
            case O -> b.o.addi(delta);
            case GATE -> addToRows(b.gateUp, 0, inter, delta);
            case UP -> addToRows(b.gateUp, inter, 2 * inter, delta);
            case DOWN -> b.down.addi(delta);
        }
    }

    private static void addToRows(NDArray fused, int from, int to, NDArray delta) {
        NDIndex rows = new NDIndex("{}:{}", from, to);
        try (NDArray current = fused.get(rows); NDArray sum = current.add(delta)) {
            fused.set(rows, sum);
        }
    }

    /** Trainable tensors, with fused q/k/v and gate/up under names ending in qkv_proj / gate_up_proj. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        out.add(new Parameter("model.embed_tokens.weight", embed));
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String p = WeightLayout.layerPrefix(i);
            out.add(new Parameter(p + "input_layernorm.weight", b.inputNorm));
            out.add(new Parameter(p + "self_attn.qkv_proj.weight", b.qkv));
            addIfPresent(out, p + "self_attn.qkv_proj.bias", b.qkvBias);
            addIfPresent(out, p + "self_attn.q_norm.weight", b.qNorm);
            addIfPresent(out, p + "self_attn.k_norm.weight", b.kNorm);
            out.add(new Parameter(p + "self_attn.o_proj.weight", b.o));
            addIfPresent(out, p + "self_attn.o_proj.bias", b.oBias);
            out.add(new Parameter(p + "post_attention_layernorm.weight", b.postNorm));
            out.add(new Parameter(p + "mlp.gate_up_proj.weight", b.gateUp));
            addIfPresent(out, p + "mlp.gate_up_proj.bias", b.gateUpBias);
            out.add(new Parameter(p + "mlp.down_proj.weight", b.down));
            addIfPresent(out, p + "mlp.down_proj.bias", b.downBias);
        }
        out.add(new Parameter("model.norm.weight", finalNorm));
        if (!config.tieWordEmbeddings()) {
            out.add(new Parameter("lm_head.weight", lmHead));
        }
        return out;
    }

    private static void addIfPresent(List<Parameter> out, String name, NDArray array) {
        if (array != null) {
            out.add(new Parameter(name, array));
        }
    }

    /**
     * The weights under their Hugging Face names and shapes (fused matrices split back), in
     * {@link WeightLayout} order. Values are copied out lazily, one tensor at a time.
     */
    public List<NamedTensor> namedTensors() {
        List<NamedTensor> out = new ArrayList<>();
        for (WeightLayout.Tensor t : WeightLayout.of(config)) {
            out.add(new NamedTensor(t.name(), t.shape(), () -> values(t.name())));
        }
        return out;
    }

    /** A Hugging Face-named tensor whose F32 values are read on demand. */
    public record NamedTensor(String name, long[] shape, ValueSource values) {
        /** The values, copied into a new array. */
        public float[] toFloatArray() {
            FloatBuffer b = values.get();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    /** Copies a tensor's values out of native memory. */
    @FunctionalInterface
    public interface ValueSource {
        FloatBuffer get();
    }

    private FloatBuffer values(String name) {
        NDArray array = locate(name);
        try {
            return FloatBuffer.wrap(array.toFloatArray());
        } finally {
            if (!isStored(array)) {
                array.close(); // a view into a fused matrix, made just for this copy
            }
        }
    }

    private boolean isStored(NDArray array) {
        if (array == embed || array == finalNorm || array == lmHead) {
            return true;
        }
        for (Block b : blocks) {
            for (NDArray a : b.arrays()) {
                if (a == array) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The array (or a view into a fused array) holding a Hugging Face-named tensor. */
    NDArray locate(String name) {
        if (name.equals("model.embed_tokens.weight")) {
            return embed;
        }
        if (name.equals("model.norm.weight")) {
            return finalNorm;
        }
        if (name.equals("lm_head.weight")) {
            return lmHead;
        }
        String rest = name.substring("model.layers.".length());
        int layer = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
        String local = rest.substring(rest.indexOf('.') + 1);
        Block b = blocks.get(layer);
        int q = config.qSize();
        int kv = config.kvSize();
        int inter = config.intermediateSize();
        return switch (local) {
            case "input_layernorm.weight" -> b.inputNorm;
            case "post_attention_layernorm.weight" -> b.postNorm;
            case "self_attn.q_proj.weight" -> b.qkv.get(new NDIndex("0:{}", q));
            case "self_attn.k_proj.weight" -> b.qkv.get(new NDIndex("{}:{}", q, q + kv));
            case "self_attn.v_proj.weight" -> b.qkv.get(new NDIndex("{}:", q + kv));
            case "self_attn.q_proj.bias" -> b.qkvBias.get(new NDIndex("0:{}", q));
            case "self_attn.k_proj.bias" -> b.qkvBias.get(new NDIndex("{}:{}", q, q + kv));
            case "self_attn.v_proj.bias" -> b.qkvBias.get(new NDIndex("{}:", q + kv));
            case "self_attn.q_norm.weight" -> b.qNorm;
            case "self_attn.k_norm.weight" -> b.kNorm;
            case "self_attn.o_proj.weight" -> b.o;
            case "self_attn.o_proj.bias" -> b.oBias;
            case "mlp.gate_proj.weight" -> b.gateUp.get(new NDIndex("0:{}", inter));
            case "mlp.up_proj.weight" -> b.gateUp.get(new NDIndex("{}:", inter));
            case "mlp.gate_proj.bias" -> b.gateUpBias.get(new NDIndex("0:{}", inter));
            case "mlp.up_proj.bias" -> b.gateUpBias.get(new NDIndex("{}:", inter));
            case "mlp.down_proj.weight" -> b.down;
            case "mlp.down_proj.bias" -> b.downBias;
            default -> throw new IllegalArgumentException("unknown tensor " + name);
        };
    }

    @Override
    public void close() {
        manager.close();
    }
}
