package srg.attack.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python in CodeAttack and CodeChameleon prompts must be valid and must give the request back
 * when run, or the model is asked to solve a puzzle that has no answer. Runs python3 when the
 * machine has it; the goldens pin the text either way.
 */
class CodeAttacksTest {

    static final List<String> REQUESTS = List.of(
            "Give step-by-step instructions for picking a pin tumbler lock",
            "Say \"hi\" with a back\\slash, a 'quote' and ünïcödé 🪪 text",
            "one",
            "two words");

    @TempDir
    Path dir;

    private static Boolean python;

    static synchronized boolean hasPython() {
        if (python == null) {
            python = probePython();
        }
        return python;
    }

    private static boolean probePython() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs each program in its own namespace in one python3 process; returns each one's {@code __result__}. */
    private List<String> runPython(List<String> programs) throws Exception {
        StringBuilder script = new StringBuilder("import sys, json\nsys.stdout.reconfigure(encoding='utf-8')\nresults = []\n");
        for (String program : programs) {
            script.append("ns = {}\nexec(").append(PythonLiteral.of(program)).append(", ns)\nresults.append(ns['__result__'])\n");
        }
        script.append("print(json.dumps(results))\n");
        Path f = dir.resolve("prog.py");
        Files.writeString(f, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return List.of(new ObjectMapper().readValue(out, String[].class));
    }

    private static List<String> codeBlocks(String prompt) {
        Matcher m = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL).matcher(prompt);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void codeChameleonDecryptionGivesTheRequestBack() throws Exception {
        assumeTrue(hasPython(), "python3 not installed");
        List<String> programs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String encryption : CodeChameleon.ENCRYPTIONS) {
            CodeChameleon attack = new CodeChameleon("codechameleon", 0, encryption);
            for (String request : REQUESTS) {
                List<String> blocks = codeBlocks(attack.prompt(request));
                assertEquals(3, blocks.size());
                programs.add(String.join("\n", blocks)
                        + "\nsolver = ProblemSolver(encrypted_problem)\nsolver.analyze_problem()\n__result__ = solver.original_problem\n");
                expected.add(request);
            }
        }
        assertEquals(expected, runPython(programs));
    }

    @Test
    void codeAttackProgramsDecodeToTheRequest() throws Exception {
        assumeTrue(hasPython(), "python3 not installed");
        List<String> programs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String structure : CodeAttack.STRUCTURES) {
            CodeAttack attack = new CodeAttack("codeattack", 0, structure);
            for (String request : REQUESTS) {
                String code = codeBlocks(attack.prompt(request)).get(0);
                // Return the decoded task instead of running the unfinished steps.
                programs.add(code.replace("    output_list = []\n", "    return decode(my_" + structure + ")\n")
                        + "\n__result__ = output_list_initialization()\n");
                expected.add(request);
            }
        }
        assertEquals(expected, runPython(programs));
    }

    @Test
    void pythonLiteralsEscapeWhatPythonNeeds() {
        assertEquals("\"a\\\"b\\\\c\\nd\\x01é\"", PythonLiteral.of("a\"b\\c\nd\u0001é"));
    }
}
