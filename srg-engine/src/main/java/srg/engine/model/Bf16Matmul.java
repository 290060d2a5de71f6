package srg.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import srg.engine.Offline;

/**
 * BF16 matmuls in libtorch, reached without ever naming BF16 to DJL.
 *
 * <p>Why this detour: DJL 0.36's native layer turns its DataType codes 0–8 into torch types and
 * meets any other code with a bare C++ {@code throw;}, which with no active exception is
 * {@code std::terminate}: the JVM aborts. BFLOAT16 is code 11, so {@code toType(BFLOAT16)},
 * {@code create(..., BFLOAT16)}, {@code zeros}/{@code zerosLike} of a BF16 array, {@code softmax}
 * of one (it passes its dtype) all abort. A BF16 tensor that libtorch itself made is harmless: DJL
 * reports it as UNKNOWN, and dtype-free ops (matmul, views, a cast back to F32) work on it. So the
 * casts are done by a TorchScript module, written out below as source and loaded from memory, whose
 * methods take and return F32 tensors and do the BF16 work inside. Measured on this stack
 * (docs/PERFORMANCE.md, BF16): libtorch 2.7.1 runs the BF16 matmul through oneDNN's
 * {@code brg_matmul:avx512_core_bf16}, about 2.4x the F32 rate on an AVX512-BF16 CPU.
 *
 * <p>The trap stays contained here: callers get F32 arrays back, and a BF16 weight is an opaque
 * {@link Weight} that nothing but {@link #linear} reads.
 */
final class Bf16Matmul {

    static {
        Offline.enforce();
    }

    /**
     * The module's code, as TorchScript serializes it (dtype 15 = bfloat16, 6 = float32).
     * {@code linear} is for inference on a BF16 weight; {@code linear_master} casts an F32 master
     * weight in the autograd graph, so its gradient arrives in F32.
     */
    private static final String CODE = String.join("\n",
            "class Bf16Matmul(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Bf16Matmul, x: Tensor) -> Tensor:",
            "    return torch.to(x, 15)",
            "  def linear(self: __torch__.Bf16Matmul, x: Tensor, w: Tensor) -> Tensor:",
            "    return torch.to(torch.linear(torch.to(x, 15), w), 6)",
            "  def linear_master(self: __torch__.Bf16Matmul, x: Tensor, w: Tensor) -> Tensor:",
            "    return torch.to(torch.linear(torch.to(x, 15), torch.to(w, 15)), 6)",
            "");

    private static PtSymbolBlock module;
    private static NDArray linearMasterMethod;

    private Bf16Matmul() {}

    /** A BF16 copy of an F32 weight [out, in]. Only {@link #linear} reads it; close it to free it. */
    static final class Weight implements AutoCloseable {
        private final NDArray array;

        private Weight(NDArray array) {
            this.array = array;
        }

        @Override
        public void close() {
            array.close();
        }
    }

    /** Casts an F32 weight to BF16, owned by {@code owner}. No autograd: for inference only. */
    static Weight weight(NDArray f32, NDManager owner) {
        return new Weight(run("forward", (PtNDManager) owner, f32));
    }

    /** x [..., in] (F32) times the BF16 weight [out, in] transposed, in BF16; the result is F32 in x's manager. No autograd. */
    static NDArray linear(NDArray x, Weight w) {
        return run("linear", (PtNDManager) x.getManager(), x, w.array);
    }

    /**
     * The same with an F32 master weight cast to BF16 inside the autograd graph: the matmuls of the
     * backward pass run in BF16 too, and the weight's gradient arrives in F32.
     */
    static NDArray linearMaster(NDArray x, NDArray w) {
        PtSymbolBlock m = module();
        // DJL's NDList call reads input names (a "." makes a dict input); ours must carry none.
        NDList in = new NDList(unnamed(x), unnamed(w), linearMasterMethod);
        return IValueUtils.forward(m, in, true).singletonOrThrow();
    }

    private static NDArray unnamed(NDArray a) {
        return a.getName() == null ? a : a.reshape(a.getShape());
    }

    private static NDArray run(String method, PtNDManager out, NDArray... inputs) {
        PtSymbolBlock m = module();
        IValue[] args = new IValue[inputs.length];
        try {
            for (int i = 0; i < inputs.length; i++) {
                args[i] = IValue.from((PtNDArray) inputs[i]);
            }
            try (IValue result = IValueUtils.runMethod(m, method, args)) {
                return result.toTensor(out);
            }
        } finally {
            for (IValue a : args) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }

    private static synchronized PtSymbolBlock module() {
        if (module == null) {
            // Lives as long as the process: a handful of bytes, shared by every model.
            PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
            try {
                module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive()), true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            linearMasterMethod = manager.create(0f);
            linearMasterMethod.setName("module_method:linear_master");
        }
        return module;
    }

    /**
     * The TorchScript archive: a zip of the code, the pickled module object (a {@code Bf16Matmul}
     * with {@code training = True}), empty constants and the format version, as
     * {@code torch.jit.save} lays it out.
     */
    static byte[] archive() {
        try {
            ByteArrayOutputStream pickle = new ByteArrayOutputStream();
            pickle.write(new byte[] {(byte) 0x80, 2}); // protocol 2
            pickle.write("c__torch__\nBf16Matmul\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL class
            pickle.write(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0}); // NEWOBJ(); {} ; "training"
            pickle.write("training".getBytes(StandardCharsets.US_ASCII));
            pickle.write(new byte[] {(byte) 0x88, 's', 'b', '.'}); // True, SETITEM, BUILD, STOP
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(zip)) {
                stored(z, "bf16/data.pkl", pickle.toByteArray());
                stored(z, "bf16/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
                stored(z, "bf16/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
                stored(z, "bf16/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            }
            return zip.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stored(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(bytes);
        z.closeEntry();
    }
}
