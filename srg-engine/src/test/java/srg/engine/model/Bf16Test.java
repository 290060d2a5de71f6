package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;

/**
 * The BF16 matmul path: the automatic choice follows the CPU flags, and a BF16 linear equals the
 * F32 one within BF16 rounding (forward and, with an F32 master weight, its gradient). Greedy
 * decoding is checked in srg.engine.train.Bf16GreedyTest, mixed-precision training in
 * MixedPrecisionTest.
 *
 * <p>None of these skips on a CPU without native BF16: libtorch then runs BF16 matmuls through its
 * own kernels instead of oneDNN's, slower but rounded the same way. Checked by capping oneDNN at
 * AVX2 ({@code ONEDNN_MAX_CPU_ISA=AVX2}: oneDNN is no longer used) on this AVX512-BF16 machine;
 * the three BF16 test classes pass with the same margins.
 */
class Bf16Test {

    @TempDir
    Path dir;

    @Test
    void autoPicksBf16OnlyWhereTheCpuHasNativeBf16() throws IOException {
        assertEquals(Precision.BF16, Precision.auto(Set.of("avx512f", "avx512_bf16")).precision());
        assertEquals(Precision.BF16, Precision.auto(Set.of("amx_tile", "amx_bf16")).precision());
        assertEquals(Precision.F32, Precision.auto(Set.of("avx2", "avx512f", "avx512_fp16")).precision());
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 avx512_bf16\n\nprocessor\t: 1\n");
        assertEquals(Set.of("fpu", "sse2", "avx512f", "avx512_bf16"), Precision.cpuFlags(cpuinfo));
        assertEquals(Set.of(), Precision.cpuFlags(dir.resolve("missing")));
        assertEquals("dtype bf16 (asked for)", Precision.choose("BF16", "dtype").describe());
        assertEquals(Precision.F32, Precision.choose("f32", "dtype").precision());
        // Not set is auto, said so: the same choice as auto on this machine's CPU.
        Precision.Choice byDefault = Precision.choose(null, "dtype");
        assertEquals(Precision.choose("auto", "dtype").precision(), byDefault.precision());
        assertTrue(byDefault.describe().startsWith("dtype " + byDefault.precision().setting() + " (the default, auto: the CPU reports "),
                byDefault.describe());
        SettingError e = assertThrows(SettingError.class, () -> Precision.choose("f16", "compute_dtype"));
        assertEquals("compute_dtype", e.setting());
        assertEquals("compute_dtype: unknown dtype \"f16\" (use f32, bf16 or auto)", e.getMessage());
    }

    @Test
    void bf16LinearEqualsF32WithinBf16Rounding() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(2, 5, 64));
            NDArray w = m.randomNormal(new Shape(48, 64)).mul(0.1f);
            NDArray ref = x.matMul(w.transpose());
            try (Bf16Matmul.Weight bw = Bf16Matmul.weight(w, m)) {
                NDArray y = Bf16Matmul.linear(x, bw);
                assertEquals(DataType.FLOAT32, y.getDataType());
                assertEquals(new Shape(2, 5, 48), y.getShape());
                // Inputs rounded to 8 significant bits: ~0.4% each, ~1% on a dot product of 64 terms.
                assertTrue(relativeError(y, ref) < 0.02, "relative error " + relativeError(y, ref));
                assertTrue(relativeError(y, ref) > 0, "the BF16 path rounds (it is not silently F32)");
            }
        }
    }

    @Test
    void masterWeightGradientArrivesInF32() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(4);
            NDArray x = m.randomNormal(new Shape(16, 64));
            NDArray w = m.randomNormal(new Shape(32, 64)).mul(0.1f);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Bf16Matmul.linearMaster(x, w);
                gc.backward(y.square().sum());
            }
            NDArray grad = w.getGradient();
            assertEquals(DataType.FLOAT32, grad.getDataType());
            // d/dW sum((x W^T)^2) = 2 (x W^T)^T x, in F32
            NDArray ref = x.matMul(w.transpose()).transpose().matMul(x).mul(2);
            assertTrue(relativeError(grad, ref) < 0.02, "relative error " + relativeError(grad, ref));
        }
    }

    private static double relativeError(NDArray got, NDArray ref) {
        float[] g = got.toFloatArray();
        float[] r = ref.toFloatArray();
        double num = 0;
        double den = 0;
        for (int i = 0; i < g.length; i++) {
            num += (g[i] - r[i]) * (double) (g[i] - r[i]);
            den += r[i] * (double) r[i];
        }
        return Math.sqrt(num / den);
    }
}
