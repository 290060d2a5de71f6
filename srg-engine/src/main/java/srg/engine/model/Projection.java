package srg.engine.model;

/** The linear projections of a decoder block, named as in Hugging Face and PEFT. */
public enum Projection {
    Q("self_attn.q_proj"),
    K("self_attn.k_proj"),
    V("self_attn.v_proj"),
    O("self_attn.o_proj"),
    GATE("mlp.gate_proj"),
    UP("mlp.up_proj"),
    DOWN("mlp.down_proj");

    private final String path;

    Projection(String path) {
        this.path = path;
    }

    /** The module path inside a layer, e.g. {@code self_attn.q_proj}. */
    public String path() {
        return path;
    }

    /** The short PEFT target name, e.g. {@code q_proj}. */
    public String shortName() {
        return path.substring(path.indexOf('.') + 1);
    }

    public static Projection fromShortName(String name) {
        for (Projection p : values()) {
            if (p.shortName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Input width of this projection for the given config. */
    public int inFeatures(ModelConfig c) {
        return switch (this) {
            case Q, K, V, GATE, UP -> c.hiddenSize();
            case O -> c.qSize();
            case DOWN -> c.intermediateSize();
        };
    }

    /** Output width of this projection for the given config. */
    public int outFeatures(ModelConfig c) {
        return switch (this) {
            case Q -> c.qSize();
            case K, V -> c.kvSize();
            case O, DOWN -> c.hiddenSize();
            case GATE, UP -> c.intermediateSize();
        };
    }
}
