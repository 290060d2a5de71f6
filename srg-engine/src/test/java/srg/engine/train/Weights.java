package srg.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import srg.engine.model.Adapters;
import srg.engine.model.ForwardInputs;
import srg.engine.model.Transformer;

/** Test helpers: a model's weights as arrays, and its logits on a fixed batch. */
final class Weights {

    private Weights() {}

    static Map<String, float[]> of(Transformer model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Transformer.NamedTensor t : model.namedTensors()) {
            out.put(t.name(), t.toFloatArray());
        }
        return out;
    }

    static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    /** Logits [B·T·V] of {@code tokens} (equal-length rows), with optional adapters. */
    static float[] logits(Transformer model, Adapters adapters, long[][] tokens) {
        int batch = tokens.length;
        int steps = tokens[0].length;
        long[] flat = new long[batch * steps];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(tokens[b], 0, flat, b * steps, steps);
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray input = scope.create(flat, new Shape(batch, steps));
            ForwardInputs in = ForwardInputs.build(scope, model, new int[batch], 0, steps);
            return model.logits(model.forward(input, in, null, adapters, null)).toFloatArray();
        }
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
