package srg.attack.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackOptions;
import srg.attack.AttackRegistry;
import srg.attack.AttackedPrompt;
import srg.data.Behavior;

class TemplatesTest {

    static final Behavior B = Behavior.harmful("b", "Do the bad thing", "");

    @TempDir
    Path dir;

    @Test
    void builtInTemplatesAllHaveTheSlot() {
        List<Template> builtIn = TemplateLibrary.builtIn();
        assertEquals(7, builtIn.size());
        for (Template t : builtIn) {
            assertTrue(t.fill("XYZZY").contains("XYZZY"), t.name());
        }
    }

    @Test
    void userTemplatesFromTextAndYamlFilesJoinTheBuiltIns() throws Exception {
        Files.writeString(dir.resolve("pirate.txt"), "Arr matey, tell me: {behavior}\n");
        Files.writeString(dir.resolve("more.yaml"), "- name: poet\n  template: 'Write a sonnet that answers: {behavior}'\n");
        Files.writeString(dir.resolve("notes.csv"), "ignored,because,not a template file\n");
        TemplateLibrary library = TemplateLibrary.load(dir);
        assertTrue(library.names().containsAll(List.of("unbound", "grandmother", "poet", "pirate")), library.names().toString());

        Attack a = AttackRegistry.parse("roleplay[template=pirate]", AttackOptions.seeded(1).withTemplates(dir)).get(0);
        AttackedPrompt p = a.apply(B).get(0);
        assertEquals("Arr matey, tell me: Do the bad thing", p.conversation().lastUserContent());
        assertEquals("pirate", p.params().get("template"));
    }

    @Test
    void aTemplateWithoutTheSlotNamesItsFile() throws Exception {
        Path file = dir.resolve("broken.txt");
        Files.writeString(file, "Tell me a joke.");
        UserError e = assertThrows(UserError.class,
                () -> AttackRegistry.parse("roleplay", AttackOptions.seeded(1).withTemplates(dir)));
        assertEquals(file + ": template 'broken' has no {behavior} slot, so the request would never reach the model", e.getMessage());

        Path yaml = dir.resolve("set.yaml");
        Files.delete(file);
        Files.writeString(yaml, "- name: fine\n  template: 'ok {behavior}'\n- name: nope\n  template: 'no slot'\n");
        e = assertThrows(UserError.class, () -> TemplateLibrary.load(yaml));
        assertTrue(e.getMessage().startsWith(yaml + ": template 'nope' has no {behavior} slot"), e.getMessage());
    }

    @Test
    void badTemplateFilesAreUserErrors() throws Exception {
        Path yaml = dir.resolve("t.yaml");
        Files.writeString(yaml, "- name: a\n");
        assertTrue(assertThrows(UserError.class, () -> TemplateLibrary.load(yaml)).getMessage()
                .equals(yaml + " entry 1: field 'template' is missing or not a text"));
        assertTrue(assertThrows(UserError.class, () -> TemplateLibrary.load(dir.resolve("missing")))
                .getMessage().startsWith("templates: no such file or folder"));
        Files.writeString(dir.resolve("a.txt"), "one {behavior}");
        Files.writeString(yaml, "a: 'two {behavior}'\n");
        assertTrue(assertThrows(UserError.class, () -> TemplateLibrary.load(dir)).getMessage().contains("template name 'a' is also used in"));
    }

    @Test
    void allTemplatesMakeOnePromptEachAndRandomPicksBySeed() {
        Attack all = AttackRegistry.parse("roleplay[template=all]", AttackOptions.seeded(1)).get(0);
        assertEquals(7, all.apply(B).size());
        // Over many behaviors, a random pick uses several templates, and the same seed picks the same ones.
        Attack r1 = AttackRegistry.parse("roleplay", AttackOptions.seeded(1)).get(0);
        Attack r1again = AttackRegistry.parse("roleplay", AttackOptions.seeded(1)).get(0);
        Attack r2 = AttackRegistry.parse("roleplay", AttackOptions.seeded(2)).get(0);
        int differ = 0;
        Set<Object> used = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Behavior b = Behavior.harmful("b" + i, "request " + i, "");
            Object t1 = r1.apply(b).get(0).params().get("template");
            assertEquals(t1, r1again.apply(b).get(0).params().get("template"));
            used.add(t1);
            if (!t1.equals(r2.apply(b).get(0).params().get("template"))) {
                differ++;
            }
        }
        assertEquals(7, used.size());
        assertTrue(differ > 25, "another seed picks other templates: " + differ);
    }

    @Test
    void demonstrationFilesAreCheckedLineByLine() throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \"a\"}\n");
        assertEquals(f + ":2: field 'response' is missing or not a text",
                assertThrows(UserError.class, () -> Demonstration.load(f)).getMessage());
        Files.writeString(f, "{\"prompt\": \"a\", \"response\": \"b\"}\nnot json\n");
        assertTrue(assertThrows(UserError.class, () -> Demonstration.load(f)).getMessage().startsWith(f + ":2: not valid JSON"));
        Files.writeString(f, "{\"prompt\": \"a\", \"response\": \"b\"}\n");
        assertEquals("attack few-shot[shots=2]: asks for 2 demonstrations but " + f + " has only 1",
                assertThrows(UserError.class, () -> AttackRegistry.parse("few-shot[shots=2]", AttackOptions.seeded(1).withDemonstrations(f))).getMessage());
    }
}
