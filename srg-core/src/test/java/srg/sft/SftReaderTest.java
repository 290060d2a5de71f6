package srg.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.data.TextCorpus;

class SftReaderTest {

    @TempDir
    Path tmp;

    private Path file(String name, String... lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static final Conversation EXPECTED = Conversation.of(Message.system("Be kind."), Message.user("Hi"),
            Message.assistant("Hello!"));

    @Test
    void readsTheThreeFormatsToTheSameConversation() throws IOException {
        Path openai = file("a.jsonl", "{\"messages\": [{\"role\": \"system\", \"content\": \"Be kind.\"},"
                + " {\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}],"
                + " \"provenance\": {\"teacher\": \"x\"}}");
        Path sharegpt = file("s.jsonl", "{\"system\": \"Be kind.\", \"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"},"
                + " {\"from\": \"gpt\", \"value\": \"Hello!\"}]}");
        Path alpaca = file("p.jsonl", "{\"instruction\": \"Hi\", \"input\": \"\", \"output\": \"Hello!\", \"system\": \"Be kind.\"}");
        assertEquals(SftFormat.OPENAI, SftReader.read(openai, false).format());
        assertEquals(SftFormat.SHAREGPT, SftReader.read(sharegpt, false).format());
        assertEquals(SftFormat.ALPACA, SftReader.read(alpaca, false).format());
        for (Path p : List.of(openai, sharegpt, alpaca)) {
            assertEquals(EXPECTED, SftReader.read(p, false).records().get(0).conversation(), p.toString());
        }
    }

    @Test
    void alpacaJoinsInstructionAndInputAndReadsHistory() throws IOException {
        Path p = file("p.jsonl", "{\"instruction\": \"Translate\", \"input\": \"chat\", \"output\": \"cat\","
                + " \"history\": [[\"Hello\", \"Hi\"]]}");
        assertEquals(Conversation.of(Message.user("Hello"), Message.assistant("Hi"), Message.user("Translate\nchat"),
                Message.assistant("cat")), SftReader.read(p, false).records().get(0).conversation());
    }

    @Test
    void readsAJsonArrayWithLineNumbers() throws IOException {
        Path p = file("d.json", "[", "  {\"instruction\": \"a\", \"output\": \"b\"},", "  {\"instruction\": \"c\"}", "]");
        UserError e = assertThrows(UserError.class, () -> SftReader.read(p, false));
        assertTrue(e.getMessage().startsWith(p + ":3: "), e.getMessage());
        SftData skipped = SftReader.read(p, true);
        assertEquals(1, skipped.size());
        assertEquals(1, skipped.skipped());
    }

    @Test
    void badLinesNameFileLineAndField() throws IOException {
        Path p = file("bad.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Yo\"}]}",
                "",
                "{not json",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                "{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"Yo\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": 3}, {\"role\": \"assistant\", \"content\": \"Yo\"}]}",
                "{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"gpt\", \"value\": \"Yo\"}]}",
                "[1, 2]",
                "{\"prompt\": \"Hi\"}");
        UserError first = assertThrows(UserError.class, () -> SftReader.read(p, false));
        assertTrue(first.getMessage().startsWith(p + ":3: not valid JSON"), first.getMessage());
        assertTrue(first.getMessage().endsWith("(skip_bad leaves bad lines out)"), first.getMessage());
        assertEquals("skip_bad", ((srg.SettingError) first).setting());
        SftData data = SftReader.read(p, true);
        assertEquals(1, data.size());
        assertEquals(7, data.skipped());
        List<String> why = data.skipReasons();
        assertEquals(5, why.size());
        assertTrue(why.get(1).equals(p + ":4: no assistant message (nothing to train on)"), why.get(1));
        assertTrue(why.get(2).startsWith(p + ":5: messages[0].role \"tool\" is not supported"), why.get(2));
        assertTrue(why.get(3).startsWith(p + ":6: messages[0].content must be a string"), why.get(3));
        assertTrue(why.get(4).startsWith(p + ":7: a sharegpt record in a openai file"), why.get(4));
    }

    @Test
    void aFileWithoutUsableRecordsIsAnError() throws IOException {
        Path p = file("empty.jsonl", "", "{\"x\": 1}");
        UserError e = assertThrows(UserError.class, () -> SftReader.read(p, true));
        assertTrue(e.getMessage().contains("no usable conversations"), e.getMessage());
        assertThrows(UserError.class, () -> SftReader.read(tmp.resolve("missing.jsonl"), false));
    }

    @Test
    void writesEachFormatAndReadsItBack() throws IOException {
        Conversation multi = Conversation.of(Message.system("S"), Message.user("u1"), Message.assistant("a1"),
                Message.user("u2"), Message.assistant("a2"));
        Path source = file("src.jsonl", new String(SftFormat.OPENAI.write(multi).toString()));
        SftData data = SftReader.read(source, false);
        for (SftFormat f : SftFormat.values()) {
            Path out = tmp.resolve("out-" + f.wireName() + ".jsonl");
            SftWriter.write(data, f, out);
            SftData back = SftReader.read(out, false);
            assertEquals(f, back.format());
            assertEquals(multi, back.records().get(0).conversation(), f.wireName());
        }
        String sharegpt = Files.readString(tmp.resolve("out-sharegpt.jsonl"));
        assertTrue(sharegpt.contains("\"from\":\"human\"") && sharegpt.contains("\"from\":\"gpt\""), sharegpt);
        String alpaca = Files.readString(tmp.resolve("out-alpaca.jsonl"));
        assertTrue(alpaca.contains("\"history\":[[\"u1\",\"a1\"]]"), alpaca);
    }

    @Test
    void alpacaCannotHoldAConversationEndingWithTheUser() throws IOException {
        Path source = file("src.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"u\"},"
                + " {\"role\": \"assistant\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"again\"}]}");
        SftData data = SftReader.read(source, false);
        UserError e = assertThrows(UserError.class, () -> SftWriter.write(data, SftFormat.ALPACA, tmp.resolve("x.jsonl")));
        assertTrue(e.getMessage().startsWith(source + ":1: cannot be written as alpaca"), e.getMessage());
    }

    @Test
    void textCorpusReadsPlainTextAndJsonl() throws IOException {
        Path plain = file("c.txt", "first doc line one", "line two", "", "", "second doc");
        assertEquals(List.of("first doc line one\nline two", "second doc"), TextCorpus.read(plain, false).documents());
        Path jsonl = file("c.jsonl", "{\"text\": \"a b\"}", "{\"body\": 1}", "{\"text\": \"c\"}");
        UserError e = assertThrows(UserError.class, () -> TextCorpus.read(jsonl, false));
        assertTrue(e.getMessage().startsWith(jsonl + ":2: "), e.getMessage());
        TextCorpus skipped = TextCorpus.read(jsonl, true);
        assertEquals(List.of("a b", "c"), skipped.documents());
        assertEquals(1, skipped.skipped());
    }
}
