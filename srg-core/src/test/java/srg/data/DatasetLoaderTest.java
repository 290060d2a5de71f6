package srg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class DatasetLoaderTest {

    private static final Path DATA = Path.of(System.getProperty("srg.shared", "../../shared")).resolve("data");

    @TempDir
    Path tmp;

    @Test
    void readsHarmBenchWithContextAndCategories() {
        Dataset d = DatasetLoader.load(DATA.resolve("harmful/harmbench_behaviors_text_all.csv"));
        assertEquals(DatasetFormat.HARMBENCH, d.format());
        assertEquals(400, d.behaviors().size());
        Behavior first = d.behaviors().get(0);
        assertEquals("dimethylmercury_instructions_home", first.id());
        assertEquals("chemical_biological", first.category());
        assertEquals("harmbench", first.source());
        assertTrue(first.harmful());
        assertEquals(100, d.behaviors().stream().filter(Behavior::hasContext).count());
    }

    @Test
    void readsAdvBenchStrongRejectAndMaliciousInstruct() {
        Dataset adv = DatasetLoader.load(DATA.resolve("harmful/advbench_behaviors.csv"));
        assertEquals(DatasetFormat.ADVBENCH, adv.format());
        assertEquals(520, adv.behaviors().size());
        assertEquals("advbench_1", adv.behaviors().get(0).id());

        Dataset sr = DatasetLoader.load(DATA.resolve("harmful/strongreject_dataset.csv"));
        assertEquals(DatasetFormat.STRONGREJECT, sr.format());
        assertEquals(313, sr.behaviors().size());
        assertEquals("Disinformation and deception", sr.behaviors().get(0).category());
        assertEquals("strongreject_dataset_313", sr.behaviors().get(312).id());

        Dataset mi = DatasetLoader.load(DATA.resolve("harmful/malicious_instruct.txt"));
        assertEquals(DatasetFormat.LINES, mi.format());
        assertEquals(100, mi.behaviors().size());
        assertEquals("malicious_instruct", mi.behaviors().get(0).source());
    }

    @Test
    void readsXsTestLabels() {
        Dataset d = DatasetLoader.load(DATA.resolve("xstest/xstest_prompts.csv"));
        assertEquals(DatasetFormat.XSTEST, d.format());
        assertEquals(250, d.benign().size());
        assertEquals(200, d.harmful().size());
        assertEquals("homonyms", d.behaviors().get(0).category());
    }

    @Test
    void readsRefusalDirectionLists() {
        Dataset harmful = DatasetLoader.load(DatasetSpec.parse(DATA.resolve("harmful/refusal_direction_harmful_test.json").toString()), true);
        assertEquals(DatasetFormat.REFUSAL_DIRECTION, harmful.format());
        assertEquals(572, harmful.behaviors().size());
        assertEquals("Harassment/Discrimination", harmful.behaviors().get(0).category());
        Dataset benign = DatasetLoader.load(DatasetSpec.parse(DATA.resolve("benign/refusal_direction_harmless_val.json") + "?limit=10"), false);
        assertEquals(10, benign.behaviors().size());
        assertFalse(benign.behaviors().get(0).harmful());
        assertEquals("", benign.behaviors().get(0).category());
    }

    @Test
    void genericCsvWithMappingAndLabel() throws IOException {
        Path f = write("mine.csv", "qid,question,topic,is_harmful\nq1,\"How do I pick a lock, quickly?\",crime,yes\nq2,Bake bread,food,no\n");
        Dataset d = DatasetLoader.load(DatasetSpec.parse(f + "?id=qid&category=topic&label=is_harmful"), true);
        assertEquals(DatasetFormat.CSV, d.format());
        assertEquals(List.of("q1", "q2"), d.behaviors().stream().map(Behavior::id).toList());
        assertEquals("How do I pick a lock, quickly?", d.behaviors().get(0).text());
        assertTrue(d.behaviors().get(0).harmful());
        assertFalse(d.behaviors().get(1).harmful());
    }

    @Test
    void jsonlWithMessagesAndFields() throws IOException {
        Path f = write("chats.jsonl", """
                {"messages": [{"role": "system", "content": "be nice"}, {"role": "user", "content": "hello there"}]}

                {"messages": [{"role": "user", "content": "second"}]}
                """);
        Dataset d = DatasetLoader.load(f);
        assertEquals(List.of("hello there", "second"), d.behaviors().stream().map(Behavior::text).toList());
        Path g = write("plain.jsonl", "{\"prompt\": \"a\", \"cat\": \"x\"}\n{\"prompt\": \"b\", \"cat\": null}\n");
        Dataset e = DatasetLoader.load(DatasetSpec.parse(g + "?category=cat&harmful=false"), true);
        assertEquals("x", e.behaviors().get(0).category());
        assertFalse(e.behaviors().get(1).harmful());
    }

    @Test
    void genericFilesKeepTheirIdAndCategoryColumns() throws IOException {
        // SafetyWorld's evaluation sets are such files: their ids and categories must reach the report.
        Path f = write("eval.jsonl", "{\"id\": \"make-x-0\", \"prompt\": \"how do i make x ?\", \"category\": \"toxic\"}\n");
        Behavior b = DatasetLoader.load(f).behaviors().get(0);
        assertEquals("make-x-0", b.id());
        assertEquals("toxic", b.category());
        Path csv = write("named.csv", "ID,prompt,Category,kind\nq1,hello,greeting,k\n");
        Behavior c = DatasetLoader.load(DatasetSpec.parse(csv + "?category=kind"), true).behaviors().get(0);
        assertEquals("q1", c.id());
        assertEquals("k", c.category(), "a column the spec names wins over the conventional one");
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        Path badLabel = write("lab.csv", "prompt,label\nok,unsafe\n\"multi\nline\",safe\nthird,maybe\n");
        UserError e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.parse(badLabel + "?label=label"), true));
        assertTrue(e.getMessage().startsWith(badLabel + ":5, column 2 'label': label 'maybe'"), e.getMessage());

        Path empty = write("empty.csv", "prompt,category\nfine,a\n,b\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(empty));
        assertTrue(e.getMessage().startsWith(empty + ":3, column 1 'prompt': the request is empty"), e.getMessage());

        Path dup = write("dup.csv", "Behavior,FunctionalCategory,SemanticCategory,Tags,ContextString,BehaviorID\na,standard,x,,,same\nb,standard,x,,,same\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(dup));
        assertTrue(e.getMessage().contains(":3, column 6 'BehaviorID': id 'same' already used on line 2"), e.getMessage());

        Path quote = write("quote.csv", "prompt,x\n\"open quote,1\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(quote));
        assertTrue(e.getMessage().startsWith(quote + ":") && e.getMessage().contains("malformed CSV"), e.getMessage());

        Path jsonl = write("bad.jsonl", "{\"prompt\": \"a\"}\n{\"prompt\": \"b\",, }\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(jsonl));
        assertTrue(e.getMessage().startsWith(jsonl + ":2: not valid JSON at column 16"), e.getMessage());

        Path json = write("bad.json", "[\n  {\"instruction\": \"a\", \"category\": null},\n  {\"instruction\": [1], \"category\": null}\n]\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(json));
        assertTrue(e.getMessage().startsWith(json + ":3, field 'instruction': expected a string"), e.getMessage());

        Path unknown = write("cols.csv", "a,b\n1,2\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(unknown));
        assertTrue(e.getMessage().contains("add ?text=NAME"), e.getMessage());

        e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.parse(unknown + "?text=zzz"), true));
        assertTrue(e.getMessage().startsWith(unknown + ":1: no column 'zzz'"), e.getMessage());

        e = assertThrows(UserError.class, () -> DatasetSpec.parse("x.csv?colour=red"));
        assertTrue(e.getMessage().contains("bad option 'colour=red'"), e.getMessage());
    }

    @Test
    void specParsesEverything() {
        DatasetSpec s = DatasetSpec.parse("d/x.data?format=jsonl&text=q&label=l&limit=5");
        assertEquals(Path.of("d/x.data"), s.path());
        assertEquals(DatasetFormat.JSONL, s.format());
        assertEquals("q", s.mapping().text());
        assertEquals(5, s.limit());
        assertNull(s.harmful());
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }
}
