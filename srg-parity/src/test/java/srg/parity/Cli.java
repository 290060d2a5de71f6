package srg.parity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import srg.cli.Main;

/** Runs the {@code srg} command in this JVM, as a user would from the shell. */
final class Cli {

    private Cli() {}

    /** The command's standard output; a non-zero exit fails with its standard error. */
    static synchronized String srg(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        if (code != 0) {
            throw new AssertionError("srg " + String.join(" ", args) + " exited with " + code + ":\n"
                    + errors.toString(StandardCharsets.UTF_8));
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
