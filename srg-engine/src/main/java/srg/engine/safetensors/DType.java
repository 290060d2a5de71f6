package srg.engine.safetensors;

import java.util.Locale;
import srg.SettingError;

/** The tensor element types srg reads and writes. Everything is widened to F32 in memory. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The {@code dtype} setting of a written checkpoint: f32, f16 or bf16 (also float32, float16, bfloat16). */
    public static DType parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> F32;
            case "f16", "float16" -> F16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw SettingError.of("dtype", "unknown dtype \"" + name + "\" (known: f32, f16, bf16)");
        };
    }

    /** Parses the safetensors dtype name; null when srg does not support it. */
    static DType fromHeader(String name) {
        return switch (name) {
            case "F32" -> F32;
            case "F16" -> F16;
            case "BF16" -> BF16;
            default -> null;
        };
    }
}
