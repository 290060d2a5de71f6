package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The library modules speak of settings, not of the command line: no string in a library module
 * names a CLI flag ({@code --lr}) or an srg command ({@code srg eval}); errors name the setting
 * (SettingError) and the command line maps it to its flag. Every module of the build with main
 * code but srg-cli is a library module. The test sits beside the command line, which knows its
 * commands' names.
 */
class LayeringTest {

    /** A flag inside a string literal: two dashes and a word, not inside a longer run of dashes. */
    private static final Pattern FLAG = Pattern.compile("\"[^\"]*(?<![\\w-])--[a-z][a-z0-9]*(-[a-z0-9]+)*\\b[^\"]*\"");

    private static final Path ROOT = Path.of("..");

    /** The modules of the build (the parent pom's {@code <module>} list) that have main code, srg-cli aside. */
    private static List<String> libraryModules() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            String module = m.group(1);
            if (!module.equals("srg-cli") && Files.isDirectory(ROOT.resolve(module).resolve("src/main/java"))) {
                out.add(module);
            }
        }
        return out;
    }

    /** {@code srg eval}, {@code srg judge}, ...: each command of the command line, as a whole word inside a string literal. */
    private static Pattern commands() {
        List<String> names = new CommandLine(new Main()).getSubcommands().keySet().stream().filter(n -> !n.equals("help"))
                .map(Pattern::quote).toList();
        return Pattern.compile("\"[^\"]*\\bsrg (" + String.join("|", names) + ")\\b[^\"]*\"");
    }

    @Test
    void everyLibraryModuleIsChecked() throws IOException {
        List<String> modules = libraryModules();
        assertTrue(modules.containsAll(List.of("srg-core", "srg-engine", "srg-study", "srg-serve")), modules.toString());
    }

    @Test
    void noLibraryStringNamesAFlagOrACommand() throws IOException {
        Pattern command = commands();
        List<String> found = new ArrayList<>();
        for (String module : libraryModules()) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        boolean comment = line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
                        if (!comment && (FLAG.matcher(line).find() || command.matcher(line).find())) {
                            found.add(f + ":" + (i + 1) + ": " + line);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void thePatternsFindWhatTheyAreFor() {
        Pattern command = commands();
        assertTrue(FLAG.matcher("throw new UserError(\"give --max-seq-len\");").find());
        assertTrue(command.matcher("out.paragraph(\"run srg eval first\");").find());
        // A separator line, a decrement, an srg evaluation and what srg trains on are not command-line words.
        for (String fine : List.of("\"----\"", "i--;", "\"an srg evaluation\"", "\"srg trains on every turn\"")) {
            assertTrue(!FLAG.matcher(fine).find() && !command.matcher(fine).find(), fine);
        }
    }
}
