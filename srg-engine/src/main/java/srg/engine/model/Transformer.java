package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import srg.engine.model.WeightLayout.Slot;

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
    /** The Hugging Face tensors by name, with where each lives. */
    private final Map<String, WeightLayout.Tensor> layout;
    private final Rotary rotary;
    private volatile Precision precision = Precision.F32;
    /** BF16 copies of the F32 weights for inference, made on first use (see {@link #project}). */
    private final Map<NDArray, Bf16Matmul.Weight> bf16Weights = new IdentityHashMap<>();
    /** Set when the F32 weights may have changed since their BF16 copies were made. */
    private boolean bf16Stale;

    /**
     * Builds the model from Hugging Face-named tensors (ownership passes to the model; fused
     * matrices are built and the originals closed).
     */
    Transformer(ModelConfig config, NDManager manager, Map<String, NDArray> tensors) {
        this.config = config;
        this.manager = manager;
        this.layout = new LinkedHashMap<>();
        // Each array's parts in row order, as the layout lists them (q, k, v; gate, up).
        Map<Integer, EnumMap<Slot, List<NDArray>>> parts = new TreeMap<>();
        for (WeightLayout.Tensor t : WeightLayout.of(config)) {
            layout.put(t.name(), t);
            parts.computeIfAbsent(t.layer(), l -> new EnumMap<>(Slot.class)).computeIfAbsent(t.slot(), s -> new ArrayList<>())
                    .add(tensors.get(t.name()));
        }
        Map<Integer, EnumMap<Slot, NDArray>> arrays = new TreeMap<>();
        parts.forEach((layer, slots) -> {
            EnumMap<Slot, NDArray> out = new EnumMap<>(Slot.class);
            slots.forEach((slot, list) -> out.put(slot, slot.fused() ? fuse(list) : list.get(0)));
            arrays.put(layer, out);
        });
        EnumMap<Slot, NDArray> own = arrays.get(-1);
        this.embed = own.get(Slot.EMBED);
        this.finalNorm = own.get(Slot.FINAL_NORM);
        this.lmHead = config.tieWordEmbeddings() ? embed : own.get(Slot.LM_HEAD);
        this.blocks = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            blocks.add(new Block(arrays.get(i)));
        }
        this.rotary = new Rotary(config);
    }

    private NDArray fuse(List<NDArray> parts) {
        NDArray fused = NDArrays.concat(new ai.djl.ndarray.NDList(parts.toArray(NDArray[]::new)), 0);
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

    /** The number format of the projection and LM-head matmuls; F32 unless set. */
    public Precision precision() {
        return precision;
    }

    /**
     * Sets the matmul number format. Under BF16, inference keeps a BF16 copy of each matmul weight
     * (half the F32 size again in memory) and training casts the F32 master weights inside the
     * graph at every forward; the F32 weights stay the ones that are trained, merged and saved.
     */
    public synchronized void setPrecision(Precision p) {
        precision = p;
        if (p == Precision.F32) {
            dropBf16Weights();
        }
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
        NDArray h = x.add(attention(i, b, rmsNorm(x, b.get(Slot.INPUT_NORM)), in.cos(), in.sin(), in.mask(i), cache, adapters));
        return h.add(mlp(i, b, rmsNorm(h, b.get(Slot.POST_NORM)), adapters));
    }

    /** The final RMSNorm, for callers that read the residual stream (hidden-state extraction). */
    public NDArray finalNorm(NDArray residual) {
        return rmsNorm(residual, finalNorm);
    }

    /** Vocabulary logits [..., V] for final-normed hidden states [..., H]. */
    public NDArray logits(NDArray hidden) {
        return project(hidden, lmHead, null);
    }

    /**
     * x [..., in] times weight [out, in] transposed, plus bias, in the model's precision; F32 in and
     * out either way. Under BF16 with autograd recording (training) the F32 weight is cast in the
     * graph, so its gradient is F32; without (generation, hidden states) its BF16 copy is used.
     */
    private NDArray project(NDArray x, NDArray weight, NDArray bias) {
        if (precision == Precision.F32) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        NDArray y;
        if (JniUtils.isGradMode()) {
            y = Bf16Matmul.linearMaster(x, weight);
            markBf16Stale(); // the optimizer is about to change the F32 weights
        } else {
            y = Bf16Matmul.linear(x, bf16Weight(weight));
        }
        return bias == null ? y : y.add(bias);
    }

    private synchronized Bf16Matmul.Weight bf16Weight(NDArray weight) {
        if (bf16Stale) {
            dropBf16Weights();
        }
        return bf16Weights.computeIfAbsent(weight, w -> Bf16Matmul.weight(w, manager));
    }

    private synchronized void markBf16Stale() {
        bf16Stale = true;
    }

    private void dropBf16Weights() {
        bf16Weights.values().forEach(Bf16Matmul.Weight::close);
        bf16Weights.clear();
        bf16Stale = false;
    }

    private NDArray attention(int layer, Block b, NDArray h, NDArray cos, NDArray sin, NDArray mask,
            KvCache cache, Adapters adapters) {
        Shape s = h.getShape();
        long batch = s.get(0);
        long steps = s.get(1);
        int q = config.qSize();
        int d = config.headDim();
        NDArray qkv = project(h, b.get(Slot.QKV), b.get(Slot.QKV_BIAS));
        NDArray qs = qkv.get(columns(Projection.Q));
        NDArray ks = qkv.get(columns(Projection.K));
        NDArray vs = qkv.get(columns(Projection.V));
        if (adapters != null) {
            qs = plus(qs, adapters.delta(layer, Projection.Q, h));
            ks = plus(ks, adapters.delta(layer, Projection.K, h));
            vs = plus(vs, adapters.delta(layer, Projection.V, h));
        }
        qs = qs.reshape(batch, steps, config.numHeads(), d);
        ks = ks.reshape(batch, steps, config.numKvHeads(), d);
        vs = vs.reshape(batch, steps, config.numKvHeads(), d);
        if (b.get(Slot.Q_NORM) != null) {
            qs = rmsNorm(qs, b.get(Slot.Q_NORM));
            ks = rmsNorm(ks, b.get(Slot.K_NORM));
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
        NDArray out = project(merged, b.get(Slot.O), b.get(Slot.O_BIAS));
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
        NDArray gu = project(h, b.get(Slot.GATE_UP), b.get(Slot.GATE_UP_BIAS));
        NDArray gate = gu.get(columns(Projection.GATE));
        NDArray up = gu.get(columns(Projection.UP));
        if (adapters != null) {
            gate = plus(gate, adapters.delta(layer, Projection.GATE, h));
            up = plus(up, adapters.delta(layer, Projection.UP, h));
        }
        NDArray act = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
        NDArray out = project(act, b.get(Slot.DOWN), b.get(Slot.DOWN_BIAS));
        return adapters == null ? out : plus(out, adapters.delta(layer, Projection.DOWN, act));
    }

    /** The columns of projection {@code p} in the output of its (fused) matmul. */
    private NDIndex columns(Projection p) {
        int from = WeightLayout.firstRow(config, p);
        return new NDIndex("..., {}:{}", from, from + p.outFeatures(config));
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
        WeightLayout.Tensor t = layout.get(WeightLayout.weightName(layer, p));
        NDArray weight = array(t);
        markBf16Stale();
        if (!t.slot().fused()) {
            weight.addi(delta);
            return;
        }
        NDIndex rows = rows(t);
        try (NDArray current = weight.get(rows); NDArray sum = current.add(delta)) {
            weight.set(rows, sum);
        }
    }

    /** Trainable tensors, with fused q/k/v and gate/up under names ending in qkv_proj / gate_up_proj. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        out.add(new Parameter(Slot.EMBED.tensorName(-1), embed));
        for (int i = 0; i < blocks.size(); i++) {
            for (Map.Entry<Slot, NDArray> e : blocks.get(i).arrays().entrySet()) {
                out.add(new Parameter(e.getKey().tensorName(i), e.getValue()));
            }
        }
        out.add(new Parameter(Slot.FINAL_NORM.tensorName(-1), finalNorm));
        if (!config.tieWordEmbeddings()) {
            out.add(new Parameter(Slot.LM_HEAD.tensorName(-1), lmHead));
        }
        return out;
    }

    /**
     * The weights under their Hugging Face names and shapes (fused matrices split back), in
     * {@link WeightLayout} order. Values are copied out lazily, one tensor at a time.
     */
    public List<NamedTensor> namedTensors() {
        List<NamedTensor> out = new ArrayList<>();
        for (WeightLayout.Tensor t : layout.values()) {
            out.add(new NamedTensor(t.name(), t.shape(), () -> values(t)));
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

    private FloatBuffer values(WeightLayout.Tensor t) {
        NDArray array = array(t);
        if (!t.slot().fused()) {
            return FloatBuffer.wrap(array.toFloatArray());
        }
        // A view into the fused matrix, made just for this copy.
        try (NDArray rows = array.get(rows(t))) {
            return FloatBuffer.wrap(rows.toFloatArray());
        }
    }

    /** The array that holds a tensor (the whole fused matrix for a part of one). */
    private NDArray array(WeightLayout.Tensor t) {
        if (t.slot().inLayer()) {
            return blocks.get(t.layer()).get(t.slot());
        }
        return switch (t.slot()) {
            case EMBED -> embed;
            case FINAL_NORM -> finalNorm;
            case LM_HEAD -> lmHead;
            default -> throw new IllegalStateException(t.slot() + " is a layer's");
        };
    }

    /** A fused tensor's rows in its array. */
    private static NDIndex rows(WeightLayout.Tensor t) {
        return new NDIndex("{}:{}", t.firstRow(), t.firstRow() + t.shape()[0]);
    }

    @Override
    public void close() {
        manager.close();
    }
}
