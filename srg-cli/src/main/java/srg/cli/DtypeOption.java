package srg.cli;

import java.io.PrintStream;
import picocli.CommandLine.Option;
import srg.engine.LocalModel;
import srg.engine.model.Precision;

/**
 * {@code --dtype}, the matmul number format of a command that runs a local model (a picocli
 * mixin of srg generate, srg bench generate and srg bench serve). Auto unless asked (BF16 where
 * the CPU has it); the choice is always printed, because BF16 changes the numbers and every figure
 * must say what it ran.
 */
final class DtypeOption {

    static final String DESCRIPTION = "Matmul number format: f32 (the reference), bf16 (BF16 matmuls, F32 norms,"
            + " softmax and KV cache), or auto (bf16 where the CPU reports avx512_bf16 or amx_bf16, else f32)."
            + " Default: auto.";

    @Option(names = "--dtype", paramLabel = "f32|bf16|auto", description = DESCRIPTION)
    String value;

    /** The choice; call it before loading the model, so that a bad value fails fast in one line. */
    Precision.Choice choose() {
        return Precision.choose(value, "dtype");
    }

    /** Applies {@code choice} to {@code model} and prints it on {@code err}. */
    void apply(Precision.Choice choice, LocalModel model, PrintStream err) {
        model.transformer().setPrecision(choice.precision());
        err.println("srg: matmuls in " + choice.describe());
    }
}
