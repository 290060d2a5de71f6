package srg.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.SettingError;
import srg.UserError;
import srg.io.JsonLines;
import srg.io.Utf8File;

/**
 * A pretraining corpus: documents of plain text. A {@code .jsonl} file holds one
 * {@code {"text": ...}} object a line (the layout of most pretraining dumps); any other file is
 * plain text in which blank lines separate documents.
 *
 * @param skipped bad JSONL lines left out (only with skip-bad)
 */
public record TextCorpus(Path file, List<String> documents, int skipped) {

    public TextCorpus {
        documents = List.copyOf(documents);
    }

    public static TextCorpus read(Path file, boolean skipBad) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such corpus file");
        }
        TextCorpus corpus = file.getFileName().toString().endsWith(".jsonl") ? readJsonl(file, skipBad) : readPlain(file);
        if (corpus.documents().isEmpty()) {
            throw new UserError(file + ": no text found");
        }
        return corpus;
    }

    private static TextCorpus readPlain(Path file) throws IOException {
        List<String> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try (BufferedReader in = Utf8File.open(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    flush(current, docs);
                } else {
                    current.append(current.length() == 0 ? "" : "\n").append(line);
                }
            }
        }
        flush(current, docs);
        return new TextCorpus(file, docs, 0);
    }

    private static void flush(StringBuilder current, List<String> docs) {
        if (current.length() > 0) {
            docs.add(current.toString());
            current.setLength(0);
        }
    }

    private static TextCorpus readJsonl(Path file, boolean skipBad) throws IOException {
        List<String> docs = new ArrayList<>();
        int[] skipped = {0};
        JsonLines.read(file, (number, node, error) -> {
            String why = error;
            if (why == null) {
                JsonNode text = node.get("text");
                if (text == null || !text.isTextual()) {
                    why = "expected an object with a string field \"text\"";
                } else if (!text.asText().isEmpty()) {
                    docs.add(text.asText());
                }
            }
            if (why != null) {
                if (!skipBad) {
                    throw SettingError.hint(file + ":" + number + ": " + why, "skip_bad", "leaves bad lines out");
                }
                skipped[0]++;
            }
        });
        return new TextCorpus(file, docs, skipped[0]);
    }
}
