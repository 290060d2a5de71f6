package srg.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import srg.engine.model.Adapters;
import srg.engine.model.ModelConfig;
import srg.engine.model.Projection;
import srg.engine.model.Transformer;

/**
 * LoRA weights for every target projection of every layer, plugged into the transformer's
 * {@link Adapters} hook. Initialised as PEFT does: A uniform in ±1/√in (kaiming-uniform with
 * a=√5), B zero, so training starts from the base model exactly.
 */
public final class LoraAdapters implements Adapters, AutoCloseable {

    /** One adapted projection. */
    public record Module(int layer, Projection projection, NDArray a, NDArray b) {
        /** PEFT's tensor name prefix, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj}. */
        public String peftPrefix() {
            return PeftAdapter.modulePrefix(layer, projection);
        }
    }

    private final LoraConfig config;
    private final NDManager manager;
    private final Module[][] modules;
    private final float scaling;
    /** alpha / r as a tensor that lives as long as the adapters (see Transformer#scalar for why). */
    private final NDArray scalingTensor;
    private boolean training;

    private LoraAdapters(LoraConfig config, NDManager manager, Module[][] modules) {
        this.config = config;
        this.manager = manager;
        this.modules = modules;
        this.scaling = (float) config.scaling();
        this.scalingTensor = manager.create(scaling);
    }

    /** Fresh adapters for {@code model}, A drawn from {@code seed} (one stream per module). */
    public static LoraAdapters create(Transformer model, LoraConfig config, long seed) {
        ModelConfig c = model.config();
        NDManager manager = model.manager().newSubManager();
        Module[][] modules = new Module[c.numLayers()][Projection.values().length];
        for (int layer = 0; layer < c.numLayers(); layer++) {
            for (Projection p : config.targets()) {
                int in = p.inFeatures(c);
                int out = p.outFeatures(c);
                float[] a = new float[config.rank() * in];
                SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + layer * 31L + p.ordinal());
                double bound = 1.0 / Math.sqrt(in);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                NDArray aArr = manager.create(FloatBuffer.wrap(a), new Shape(config.rank(), in));
                NDArray bArr = manager.zeros(new Shape(out, config.rank()));
                modules[layer][p.ordinal()] = new Module(layer, p, aArr, bArr);
            }
        }
        return new LoraAdapters(config, manager, modules);
    }

    public LoraConfig config() {
        return config;
    }

    /** With training on, the adapter input gets dropout (masks come from libtorch's seeded RNG). */
    public void setTraining(boolean on) {
        this.training = on;
    }

    @Override
    public NDArray delta(int layer, Projection p, NDArray x) {
        Module m = modules[layer][p.ordinal()];
        if (m == null) {
            return null;
        }
        NDArray in = training && config.dropout() > 0
                ? x.getNDArrayInternal().dropout(x, (float) config.dropout(), true).singletonOrThrow()
                : x;
        // Scaling the rank-r intermediate rather than the [.., out] result: same product, a
        // tensor of r columns instead of out columns to compute and keep for backward.
        NDArray low = Linear.linear(in, m.a()).singletonOrThrow().mul(scalingTensor);
        return Linear.linear(low, m.b()).singletonOrThrow();
    }

    /** Every module, by layer then projection. */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        for (Module[] layer : modules) {
            for (Module m : layer) {
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Adds (alpha / r) · B A to each target weight of {@code model}, which then runs without adapters. */
    public void mergeInto(Transformer model) {
        for (Module m : modules()) {
            try (NDArray delta = m.b().matMul(m.a())) {
                delta.muli(scaling);
                model.addToProjectionWeight(m.layer(), m.projection(), delta);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
