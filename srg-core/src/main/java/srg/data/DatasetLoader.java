package srg.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.io.JsonLines;
import srg.io.Utf8File;

/**
 * Reads behaviors from the benchmark files of the field (HarmBench, AdvBench, StrongREJECT,
 * XSTest, the refusal-direction JSON lists, MaliciousInstruct) and from generic CSV, JSON and
 * JSONL with a column mapping. The format is detected from the extension and the header (or the
 * first object's keys) when the spec does not name it.
 */
public final class DatasetLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private DatasetLoader() {}

    /** Reads a dataset; rows without a label (column or {@code harmful=}) get {@code defaultHarmful}. */
    public static Dataset load(DatasetSpec spec, boolean defaultHarmful) {
        Path path = spec.path();
        if (!Files.isRegularFile(path)) {
            throw new UserError("dataset " + path + ": no such file");
        }
        try {
            return read(spec, defaultHarmful);
        } catch (IOException e) {
            if (e instanceof NoSuchFileException) {
                throw new UserError("dataset " + path + ": no such file");
            }
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    /** Reads a file with a detected format; rows are harmful unless labelled otherwise. */
    public static Dataset load(Path path) {
        return load(DatasetSpec.of(path), true);
    }

    private static Dataset read(DatasetSpec spec, boolean defaultHarmful) throws IOException {
        Path path = spec.path();
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean harmful = spec.harmful() != null ? spec.harmful() : defaultHarmful;
        DatasetFormat format = spec.format();
        if (format == null || format.container() == DatasetFormat.Container.CSV) {
            if (format == null && !name.endsWith(".csv") && !name.endsWith(".tsv")) {
                format = name.endsWith(".jsonl") ? DatasetFormat.JSONL
                        : name.endsWith(".json") ? DatasetFormat.JSON
                        : name.endsWith(".txt") ? DatasetFormat.LINES : null;
                if (format == null) {
                    throw new UserError("dataset " + path + ": cannot tell the format from the extension; add ?format= one of "
                            + DatasetFormat.names());
                }
            }
        }
        if (format == null || format.container() == DatasetFormat.Container.CSV) {
            return readCsv(spec, format, harmful);
        }
        return switch (format.container()) {
            case JSON, JSONL -> readJson(spec, format, harmful);
            case LINES -> readLines(spec, format, harmful);
            case CSV -> throw new AssertionError("handled above");
        };
    }

    // ---- CSV -------------------------------------------------------------------------------

    private static Dataset readCsv(DatasetSpec spec, DatasetFormat given, boolean harmful) throws IOException {
        Path path = spec.path();
        char separator = path.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
        try (Reader reader = Utf8File.open(path);
                MappingIterator<String[]> rows = CSV.readerFor(String[].class)
                        .with(CsvSchema.emptySchema().withColumnSeparator(separator))
                        .readValues(reader)) {
            if (!rows.hasNextValue()) {
                throw new UserError(path + ": empty file, expected a header line");
            }
            String[] header = rows.nextValue();
            if (header.length > 0) {
                header[0] = header[0].replace("\uFEFF", "");
            }
            List<String> columns = List.of(header);
            DatasetFormat format = given != null ? given : detectCsv(columns);
            ColumnMapping mapping = completeMapping(path, format, spec.mapping(), new HashSet<>(columns), "header");
            for (String col : new String[] {mapping.id(), mapping.text(), mapping.category(), mapping.context(), mapping.label()}) {
                if (col != null && !columns.contains(col)) {
                    throw new UserError(path + ":1: no column '" + col + "' in the header " + columns);
                }
            }
            BehaviorRows out = new BehaviorRows(path.toString(), format.source(), mapping, harmful, spec.limit());
            while (!out.full()) {
                String[] row;
                int line;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    // After hasNextValue the parser stands at the row's start: its line is the row's.
                    line = rows.getCurrentLocation().getLineNr();
                    row = rows.nextValue();
                } catch (RuntimeException | JsonProcessingException e) {
                    throw csvError(path, e);
                }
                if (row.length == 1 && row[0].isBlank()) {
                    continue; // a trailing empty line
                }
                if (row.length > columns.size()) {
                    throw new UserError(path + ":" + line + ": " + row.length + " fields, but the header has " + columns.size());
                }
                out.add(line,
                        col -> { int i = columns.indexOf(col); return i < row.length ? row[i] : null; },
                        col -> col == null ? null : "column " + (columns.indexOf(col) + 1) + " '" + col + "'");
            }
            return new Dataset(path, format, out.behaviors());
        }
    }

    private static UserError csvError(Path path, Exception e) {
        if (e instanceof UserError u) {
            return u; // bad bytes, already located by the reader
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return new UserError(path + ":" + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr()
                    + ": malformed CSV: " + j.getOriginalMessage());
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return csvError(path, j);
        }
        return new UserError(path + ": malformed CSV: " + e.getMessage());
    }

    static DatasetFormat detectCsv(List<String> header) {
        Set<String> cols = new HashSet<>(header);
        for (DatasetFormat f : DatasetFormat.csvPresets()) {
            if (cols.containsAll(f.signature())) {
                return f;
            }
        }
        return DatasetFormat.CSV;
    }

    /**
     * Applies the spec's overrides to the format's preset and, for generic files, finds the text
     * column among the usual names when the spec does not name it, and the id and category columns
     * by their names.
     */
    private static ColumnMapping completeMapping(Path path, DatasetFormat format, ColumnMapping overrides, Set<String> keys, String what) {
        ColumnMapping mapping = format.mapping().with(overrides);
        if (mapping.text() == null) {
            String found = null;
            for (int i = 0; found == null && i < ColumnMapping.TEXT_CANDIDATES.size(); i++) {
                found = key(keys, ColumnMapping.TEXT_CANDIDATES.get(i));
            }
            if (found == null) {
                throw new UserError(path + ": cannot tell which " + (what.equals("header") ? "column" : "field")
                        + " holds the request (" + what + ": " + keys + "); add ?text=NAME to the dataset");
            }
            mapping = mapping.with(new ColumnMapping(null, found, null, null, null));
        }
        if (format.signature().isEmpty()) {
            // A generic file's conventional "id" and "category" columns are used unless the spec names others.
            mapping = mapping.with(new ColumnMapping(mapping.id() == null ? key(keys, "id") : null, null,
                    mapping.category() == null ? key(keys, "category") : null, null, null));
        }
        return mapping;
    }

    /** The key among {@code keys} that is {@code name}, ignoring case, or null. */
    private static String key(Set<String> keys, String name) {
        return keys.stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    // ---- JSON and JSONL ----------------------------------------------------------------------

    private static Dataset readJson(DatasetSpec spec, DatasetFormat format, boolean harmful) throws IOException {
        Path path = spec.path();
        List<Located> records = format.container() == DatasetFormat.Container.JSONL ? jsonlRecords(path) : jsonArrayRecords(path);
        if (records.isEmpty()) {
            throw new UserError(path + ": no records");
        }
        ObjectNode first = records.get(0).node;
        Set<String> keys = new HashSet<>();
        first.fieldNames().forEachRemaining(keys::add);
        if (format == DatasetFormat.JSON && spec.format() == null && keys.containsAll(DatasetFormat.REFUSAL_DIRECTION.signature())
                && keys.size() == DatasetFormat.REFUSAL_DIRECTION.signature().size()) {
            format = DatasetFormat.REFUSAL_DIRECTION;
        }
        boolean messages = keys.contains("messages") && format.mapping().with(spec.mapping()).text() == null;
        ColumnMapping mapping = messages ? format.mapping().with(spec.mapping()).with(new ColumnMapping(null, "messages", null, null, null))
                : completeMapping(path, format, spec.mapping(), keys, "keys of the first record");
        BehaviorRows out = new BehaviorRows(path.toString(), format.source(), mapping, harmful, spec.limit());
        for (Located r : records) {
            out.add(r.line, field -> jsonField(path, r, field, out), field -> field == null ? null : "field '" + field + "'");
        }
        return new Dataset(path, format, out.behaviors());
    }

    private record Located(int line, ObjectNode node) {}

    private static String jsonField(Path path, Located r, String field, BehaviorRows out) {
        if (field == null) {
            return null;
        }
        JsonNode v = r.node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (field.equals("messages") && v.isArray()) {
            // An OpenAI messages list: the request is the last user turn.
            for (int i = v.size() - 1; i >= 0; i--) {
                JsonNode m = v.get(i);
                if ("user".equals(m.path("role").asText()) && m.path("content").isTextual()) {
                    return m.get("content").asText();
                }
            }
            throw out.error(r.line, "field 'messages'", "no user message with text content");
        }
        if (v.isContainerNode()) {
            throw out.error(r.line, "field '" + field + "'", "expected a string, got " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return v.asText();
    }

    private static List<Located> jsonlRecords(Path path) throws IOException {
        List<Located> out = new ArrayList<>();
        JsonLines.read(path, (n, node, error) -> {
            if (error != null) {
                throw new UserError(path + ":" + n + ": " + error);
            }
            if (!(node instanceof ObjectNode obj)) {
                throw new UserError(path + ":" + n + ", column 1: expected a JSON object, got " + node.getNodeType());
            }
            out.add(new Located(n, obj));
        });
        return out;
    }

    private static List<Located> jsonArrayRecords(Path path) throws IOException {
        List<Located> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(Utf8File.open(path))) {
            try {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new UserError(path + ":" + at.getLineNr() + ", column " + at.getColumnNr()
                            + ": expected a JSON array of objects (use ?format=jsonl for one object per line)");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    int line = p.currentTokenLocation().getLineNr();
                    out.add(new Located(line, JSON.readTree(p)));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new UserError(path + ":" + at.getLineNr() + ", column " + at.getColumnNr()
                            + ": expected a JSON object, got " + p.currentToken());
                }
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw new UserError(path + (at == null ? "" : ":" + at.getLineNr() + ", column " + at.getColumnNr())
                        + ": malformed JSON: " + e.getOriginalMessage());
            }
        }
        return out;
    }

    // ---- text lines ----------------------------------------------------------------------------

    private static Dataset readLines(DatasetSpec spec, DatasetFormat format, boolean harmful) throws IOException {
        Path path = spec.path();
        ColumnMapping mapping = new ColumnMapping(null, "line", null, null, null);
        BehaviorRows out = new BehaviorRows(path.toString(), format.source(), mapping, harmful, spec.limit());
        try (BufferedReader reader = Utf8File.open(path)) {
            Iterator<String> lines = reader.lines().iterator();
            int n = 0;
            while (lines.hasNext() && !out.full()) {
                String line = lines.next().strip();
                n++;
                if (!line.isEmpty()) {
                    out.add(n, Map.of("line", line)::get, col -> null);
                }
            }
        }
        return new Dataset(path, format, out.behaviors());
    }
}
