package srg.engine.lora;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import srg.SettingError;
import srg.engine.model.Projection;

/**
 * The shape of a LoRA adapter: {@code W x + (alpha / r) · B A dropout(x)} on each target
 * projection, with A [r, in] and B [out, r].
 *
 * @param rank r
 * @param alpha the scaling numerator (PEFT's {@code lora_alpha})
 * @param dropout dropout on the adapter's input during training
 * @param targets the projections that get an adapter (PEFT's {@code target_modules})
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<Projection> targets) {

    /** Common LoRA SFT practice: r 16, alpha 32, dropout 0.05, every attention and MLP projection. */
    public static final LoraConfig DEFAULT = new LoraConfig(16, 32, 0.05, EnumSet.allOf(Projection.class));

    public LoraConfig {
        if (rank < 1) {
            throw SettingError.of("lora_rank", "must be at least 1, got " + rank);
        }
        if (!(alpha > 0)) {
            throw SettingError.of("lora_alpha", "must be positive, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw SettingError.of("lora_dropout", "must be in [0, 1), got " + dropout);
        }
        if (targets.isEmpty()) {
            throw SettingError.of("lora_targets", "at least one projection is needed");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    public double scaling() {
        return alpha / rank;
    }

    /** Parses PEFT short names ({@code q_proj,k_proj,...}), or {@code all} for every projection. */
    public static Set<Projection> parseTargets(List<String> names) {
        if (names.size() == 1 && names.get(0).equals("all")) {
            return EnumSet.allOf(Projection.class);
        }
        Set<Projection> out = EnumSet.noneOf(Projection.class);
        for (String n : names) {
            Projection p = Projection.fromShortName(n.trim());
            if (p == null) {
                List<String> known = new ArrayList<>();
                for (Projection q : Projection.values()) {
                    known.add(q.shortName());
                }
                throw SettingError.of("lora_targets", "unknown projection \"" + n + "\" (known: " + String.join(", ", known)
                        + ", or all)");
            }
            out.add(p);
        }
        return out;
    }

    /** The targets as sorted PEFT short names. */
    public List<String> targetNames() {
        List<String> out = new ArrayList<>();
        for (Projection p : EnumSet.copyOf(targets)) {
            out.add(p.shortName());
        }
        return out;
    }
}
