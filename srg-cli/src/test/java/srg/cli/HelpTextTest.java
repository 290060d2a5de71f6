package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import srg.judge.Judges;

/** Every command's --help renders cleanly: picocli warns on stderr about, e.g., a bare "%" in a description. */
class HelpTextTest {

    @Test
    void everyHelpTextRendersWithoutWarnings() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
        assertTrue(all.size() > 20, "walked " + all.size() + " commands");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        try {
            for (CommandLine c : all) {
                captured.reset();
                String usage = c.getUsageMessage();
                String warned = captured.toString(StandardCharsets.UTF_8);
                if (!warned.isBlank() || usage.contains("%n")) {
                    problems.add(c.getCommandSpec().qualifiedName() + ": " + warned.strip());
                }
            }
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void synthListsTheJudgesThatReportRefusalsFromTheCatalogue() {
        String usage = new CommandLine(new Main()).getSubcommands().get("synth").getUsageMessage();
        for (String syntax : Judges.reportingRefusalsSyntax()) {
            assertTrue(usage.contains("\n  " + syntax), syntax + " in\n" + usage);
        }
        assertTrue(usage.contains("  " + Judges.reportingRefusalsSyntax().get(0) + "   (default)"), usage);
        assertFalse(usage.contains(SynthCommand.JudgeFooter.JUDGES), usage);
        assertFalse(usage.contains("llamaguard"), "llamaguard does not say whether an answer refuses");
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        into.add(c);
        c.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
