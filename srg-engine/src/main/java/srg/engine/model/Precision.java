package srg.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import srg.SettingError;

/**
 * The number format of the transformer's matmuls. F32 is the reference. BF16 runs the projection
 * and LM-head matmuls in bfloat16 (oneDNN's AVX512-BF16 / AMX kernels inside libtorch) with F32
 * inputs and outputs, so norms, softmax, the KV cache, the loss and the optimizer stay F32; see
 * {@link Bf16Matmul} and docs/PERFORMANCE.md (BF16).
 */
public enum Precision {
    F32,
    BF16;

    /** A resolved choice and why it was made, for the one line the CLI prints. */
    public record Choice(Precision precision, String reason) {
        public String describe() {
            return "dtype " + precision.name().toLowerCase(Locale.ROOT) + " (" + reason + ")";
        }
    }

    /** CPU flags (as /proc/cpuinfo spells them) that give libtorch native BF16 matmuls. */
    static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    /**
     * Parses {@code f32}, {@code bf16} or {@code auto}; null (not set) is {@code auto}, which picks
     * BF16 where the CPU has native BF16 dot products, else F32. {@code setting} names the setting
     * in the error. The default can change a model's numbers from one machine to the next, so
     * whatever keeps results says which format made them: a run store records each model's format
     * and refuses to mix two ({@code RunStore.claimNumerics}), a training run resumes only in the
     * format it began with, and a study's fingerprints include it.
     */
    public static Choice choose(String spec, String setting) {
        if (spec == null) {
            return new Choice(ThisCpu.AUTO.precision(), "the default, " + ThisCpu.AUTO.reason());
        }
        return switch (spec.trim().toLowerCase(Locale.ROOT)) {
            case "f32", "fp32", "float32" -> new Choice(F32, "asked for");
            case "bf16", "bfloat16" -> new Choice(BF16, "asked for");
            case "auto" -> ThisCpu.AUTO;
            default -> throw SettingError.of(setting, "unknown dtype \"" + spec + "\" (use f32, bf16 or auto)");
        };
    }

    /**
     * The automatic choice on this machine, read from /proc/cpuinfo once: studies resolve their
     * format for every model's fingerprint, and the CPU's flags do not change under a running JVM.
     */
    private static final class ThisCpu {
        static final Choice AUTO = auto(cpuFlags(Path.of("/proc/cpuinfo")));
    }

    /** The setting's spelling of this format: f32 or bf16. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The automatic choice for a CPU with these flags. */
    static Choice auto(Set<String> flags) {
        for (String f : BF16_FLAGS.stream().sorted().toList()) {
            if (flags.contains(f)) {
                return new Choice(BF16, "auto: the CPU reports " + f);
            }
        }
        return new Choice(F32, "auto: the CPU reports neither avx512_bf16 nor amx_bf16");
    }

    /** The flags of the first processor in a /proc/cpuinfo file; empty where there is none (not Linux). */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags") && line.contains(":")) {
                    return Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cpuinfo: auto falls back to the F32 reference.
        }
        return Set.of();
    }
}
