package srg.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import srg.engine.Offline;
import srg.engine.safetensors.Checkpoint;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;

/**
 * Loads a Hugging Face model folder ({@code config.json} + safetensors, single or sharded) into a
 * {@link Transformer}. Every tensor is checked against the config before any is read, so a bad
 * checkpoint fails fast with the file, tensor and expected shape.
 */
public final class ModelLoader {

    static {
        Offline.enforce();
    }

    private ModelLoader() {}

    public static Transformer load(Path dir, Device device) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(dir);
        List<WeightLayout.Tensor> layout = WeightLayout.of(config);
        long largest = 0;
        for (WeightLayout.Tensor t : layout) {
            TensorInfo info = checkpoint.require(t.name(), t.shape());
            largest = Math.max(largest, info.elementCount());
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> tensors = new HashMap<>();
            // One staging buffer, reused: file → F32 in Java → torch-owned copy on the device.
            ByteBuffer staging = ByteBuffer.allocateDirect(Math.toIntExact(largest * 4)).order(ByteOrder.nativeOrder());
            for (WeightLayout.Tensor t : layout) {
                TensorInfo info = checkpoint.tensors().get(t.name());
                int bytes = Math.toIntExact(info.elementCount() * 4);
                staging.clear();
                TensorReader.readInto(info, staging.asFloatBuffer());
                try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
                    NDArray view = scratch.create(staging.slice(0, bytes).order(ByteOrder.nativeOrder()),
                            new Shape(t.shape()), DataType.FLOAT32);
                    NDArray owned = device.equals(Device.cpu()) ? view.duplicate() : view.toDevice(device, true);
                    owned.attach(manager);
                    tensors.put(t.name(), owned);
                }
            }
            return new Transformer(config, manager, tensors);
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }
}
