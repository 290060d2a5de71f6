package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.engine.LocalModel;
import srg.engine.lora.LoraAdapters;
import srg.engine.lora.LoraConfig;
import srg.engine.model.Transformer;

/**
 * Gradients must not depend on when the JVM collects garbage. DJL turns {@code x.mul(2.0)} into a
 * scalar tensor over a Java direct buffer that it releases at once; autograd keeps that tensor
 * for the backward pass, so a collection between forward and backward used to corrupt the
 * gradients of RMSNorm, attention scaling and LoRA scaling.
 */
class GradientLifetimeTest {

    @Test
    void gradientsAreTheSameWhenTheJvmCollectsGarbageMidStep(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp, Secrets.vocabulary(), 23);
        try (LocalModel model = LocalModel.load(base, Device.cpu());
                LoraAdapters adapters = LoraAdapters.create(model.transformer(), LoraConfig.DEFAULT, 1)) {
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().subList(0, 3).stream().map(encoder::encode).toList();
            List<NDArray> params = new ArrayList<>();
            for (LoraAdapters.Module m : adapters.modules()) {
                m.b().set(m.a().getManager().randomNormal(0, 0.02f, m.b().getShape(), m.b().getDataType()).toFloatArray());
                params.add(m.a());
                params.add(m.b());
            }
            for (Transformer.Parameter p : model.transformer().parameters()) {
                params.add(p.array());
            }
            float[] calm = gradients(model.transformer(), adapters, examples, params, false);
            float[] stormy = gradients(model.transformer(), adapters, examples, params, true);
            assertTrue(calm.length > 0);
            assertArrayEquals(calm, stormy, 0f);
        }
    }

    /** Every parameter's gradient norm after one backward pass (optionally with GC churn in between). */
    private static float[] gradients(Transformer model, LoraAdapters adapters, List<TrainingExample> examples,
            List<NDArray> params, boolean collectGarbage) throws InterruptedException {
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
        try (NDManager scope = model.manager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = TokenLoss.sum(model, adapters, MicroBatch.of(examples, 0), scope);
                if (collectGarbage) {
                    List<ByteBuffer> junk = new ArrayList<>();
                    for (int round = 0; round < 3; round++) {
                        System.gc();
                        Thread.sleep(20);
                        for (int i = 0; i < 2000; i++) {
                            junk.add(ByteBuffer.allocateDirect(8).putDouble(0, 1e30));
                        }
                    }
                }
                collector.backward(loss);
            }
            float[] norms = new float[params.size()];
            for (int i = 0; i < norms.length; i++) {
                NDArray g = params.get(i).getGradient();
                norms[i] = g.norm().getFloat();
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) params.get(i));
                g.close();
            }
            return norms;
        }
    }
}
