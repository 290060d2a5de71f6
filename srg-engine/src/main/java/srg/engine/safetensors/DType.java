package srg.engine.safetensors;

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
