package srg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class GuidelinesTest {

    @TempDir
    Path tmp;

    @Test
    void defaultSetHasTheNamesSafetyWorldsTeacherUses() {
        Guidelines g = Guidelines.defaults();
        assertEquals(List.of("intent", "context", "knowledge", "harm", "policy", "reflection", "refinement", "helpfulness"), g.names());
        assertEquals("srg-default", g.name());
        for (Guideline x : g.guidelines()) {
            assertFalse(x.question().isBlank(), x.name());
            assertFalse(x.example().isBlank(), x.name());
            assertEquals(List.of(x.name()), x.keywords());
            assertTrue(x.required());
        }
        assertTrue(g.guidelines().get(0).question().contains("decode"), "intent covers decoding disguises");
    }

    @Test
    void hashIdentifiesContentNotLayout() throws Exception {
        String a = "name: s\nguidelines:\n  - name: intent\n    question: Q1\n    example: E1\n";
        String b = "# comment\nguidelines:\n- {name: intent, question: Q1, example: E1}\nname: s\n";
        String c = "name: s\nguidelines:\n  - name: intent\n    question: Q2\n    example: E1\n";
        assertEquals(Guidelines.parse(a, "a").sha256(), Guidelines.parse(b, "b").sha256());
        assertNotEquals(Guidelines.parse(a, "a").sha256(), Guidelines.parse(c, "c").sha256());
        assertEquals(64, Guidelines.defaults().sha256().length());
        assertEquals(Guidelines.defaults().sha256(), Guidelines.parse(Guidelines.defaultsYaml(), "x").sha256());
    }

    @Test
    void loadsAFileWithKeywordsAndOptionalSteps() throws Exception {
        Path f = tmp.resolve("mine.yaml");
        Files.writeString(f, """
                guidelines:
                  - name: intent
                    question: What is asked?
                    example: It asks for X.
                    keywords: [intent, purpose]
                  - name: style
                    question: How should it sound?
                    example: Plainly.
                    required: false
                """);
        Guidelines g = Guidelines.load(f);
        assertEquals("mine", g.name());
        assertEquals(List.of("intent", "purpose"), g.guidelines().get(0).keywords());
        assertEquals(List.of("intent"), g.requiredGuidelines().stream().map(Guideline::name).toList());
        assertEquals(List.of("style"), g.requiring(List.of("style")).requiredGuidelines().stream().map(Guideline::name).toList());
        UserError e = assertThrows(UserError.class, () -> g.requiring(List.of("tone")));
        assertTrue(e.getMessage().contains("tone") && e.getMessage().contains("[intent, style]"), e.getMessage());
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        assertError("guidelines:\n  - name: intent\n    example: E\n", "guidelines[0].question: missing");
        assertError("guidelines:\n  - name: intent\n    question: Q\n    example: E\n    colour: red\n", "guidelines[0].colour: unknown key");
        assertError("guidelines:\n  - {name: a, question: Q, example: E}\n  - {name: a, question: Q, example: E}\n", "guidelines[1].name: 'a' is used twice");
        assertError("guidelines:\n  - {name: two words, question: Q, example: E}\n", "guidelines[0].name: 'two words' is not one word");
        assertError("guidelines:\n  - {name: a, question: Q, example: E, required: maybe}\n", "guidelines[0].required: expected true or false");
        assertError("guidelines:\n  - {name: a, question: [Q], example: E}\n", "guidelines[0].question: expected text");
        assertError("guidelines:\n  - {name: a, question: Q, example: E, keywords: a}\n", "guidelines[0].keywords: expected a list");
        assertError("guidelines: []\n", "guidelines: expected a non-empty list");
        assertError("rules: []\n", "rules: unknown key");
        assertError("guidelines:\n  - name: a\n   question: [\n", "bad.yaml:");
        UserError missing = assertThrows(UserError.class, () -> Guidelines.load(tmp.resolve("nope.yaml")));
        assertTrue(missing.getMessage().contains("nope.yaml: no such file"), missing.getMessage());
    }

    private void assertError(String yaml, String expected) throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, yaml);
        UserError e = assertThrows(UserError.class, () -> Guidelines.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
