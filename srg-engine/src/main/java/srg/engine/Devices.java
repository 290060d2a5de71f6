package srg.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import srg.SettingError;

/** Parses {@code --device cpu|cuda|cuda:N} and checks that libtorch can see the device. */
public final class Devices {

    static {
        Offline.enforce();
    }

    private Devices() {}

    public static Device parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("cuda") || s.equals("gpu") || s.startsWith("cuda:")) {
            int index = 0;
            if (s.startsWith("cuda:")) {
                try {
                    index = Integer.parseInt(s.substring(5));
                } catch (NumberFormatException e) {
                    throw SettingError.of("device", "bad CUDA index in \"" + spec + "\"");
                }
            }
            int gpus = Engine.getInstance().getGpuCount();
            if (gpus <= index) {
                throw SettingError.of("device", spec + ": libtorch sees " + gpus + " CUDA device(s). The bundled"
                        + " libtorch is CPU-only; see docs/GPU.md for running on a GPU.");
            }
            return Device.gpu(index);
        }
        throw SettingError.of("device", "unknown device \"" + spec + "\" (use cpu, cuda or cuda:N)");
    }
}
