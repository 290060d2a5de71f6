package srg.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.io.ContentHash;
import srg.io.Utf8File;

/**
 * Direct refusals for refusal-training data. A refusal written for the very request (the
 * HarmBench adversarial-training CSVs pair behaviors with refusals) is used when the query
 * matches; otherwise one is drawn from the pool, reproducibly from the seed and the query.
 *
 * <p>Files: a CSV with a refusal column ({@code Safe_Response}, {@code response} or
 * {@code refusal}) and optionally a request column ({@code Behavior}, {@code prompt} or
 * {@code query}) for matching; or a text file with one refusal a line ({@code #} comments).
 */
public final class RefusalSet {

    /** A refusal for one query, and whether it was written for that query. */
    public record Refusal(String text, boolean matched) {}

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
    private static final List<String> RESPONSE_COLUMNS = List.of("safe_response", "response", "refusal");
    private static final List<String> REQUEST_COLUMNS = List.of("behavior", "prompt", "query");

    private final String id;
    private final List<String> pool;
    private final Map<String, String> byRequest;

    private RefusalSet(String id, List<String> pool, Map<String, String> byRequest) {
        this.id = id;
        this.pool = List.copyOf(pool);
        this.byRequest = Map.copyOf(byRequest);
    }

    /** The refusals written for this project ({@code refusals.txt} beside this class). */
    public static RefusalSet builtIn() {
        try (InputStream in = RefusalSet.class.getResourceAsStream("refusals.txt")) {
            if (in == null) {
                throw new IllegalStateException("the built-in refusals are missing from the jar");
            }
            return new RefusalSet("built-in", lines(new String(in.readAllBytes(), StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RefusalSet load(Path file) {
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            RefusalSet set = name.endsWith(".csv") ? csv(file)
                    : new RefusalSet(file.toString(), lines(Utf8File.read(file)), Map.of());
            if (set.pool.isEmpty()) {
                throw new UserError("refusals " + file + ": no refusals in it");
            }
            return set;
        } catch (NoSuchFileException e) {
            throw new UserError("refusals " + file + ": no such file");
        } catch (IOException e) {
            throw new UserError("refusals " + file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static RefusalSet csv(Path file) throws IOException {
        try (Reader reader = Utf8File.open(file);
                MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(reader)) {
            if (!rows.hasNextValue()) {
                throw new UserError("refusals " + file + ": empty file, expected a header line");
            }
            List<String> header = new ArrayList<>();
            for (String h : rows.nextValue()) {
                header.add(h.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT));
            }
            int response = firstOf(header, RESPONSE_COLUMNS);
            if (response < 0) {
                throw new UserError("refusals " + file + ":1: no refusal column; expected one of " + RESPONSE_COLUMNS + " in " + header);
            }
            int request = firstOf(header, REQUEST_COLUMNS);
            Set<String> pool = new LinkedHashSet<>();
            Map<String, String> byRequest = new HashMap<>();
            while (rows.hasNextValue()) {
                String[] row = rows.nextValue();
                if (row.length <= response || row[response].isBlank()) {
                    continue;
                }
                pool.add(row[response].strip());
                if (request >= 0 && request < row.length && !row[request].isBlank()) {
                    byRequest.putIfAbsent(row[request].strip(), row[response].strip());
                }
            }
            return new RefusalSet(file.toString(), new ArrayList<>(pool), byRequest);
        } catch (JsonProcessingException e) {
            throw new UserError("refusals " + file + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr())
                    + ": malformed CSV: " + e.getOriginalMessage());
        }
    }

    private static int firstOf(List<String> header, List<String> names) {
        for (String n : names) {
            if (header.contains(n)) {
                return header.indexOf(n);
            }
        }
        return -1;
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /**
     * This pool, with {@code own} refusals written for particular queries (by query text) taking
     * precedence over any this set already matched.
     */
    public RefusalSet withOwn(String newId, Map<String, String> own) {
        Map<String, String> merged = new HashMap<>(byRequest);
        own.forEach((query, refusal) -> merged.put(query.strip(), refusal));
        return new RefusalSet(newId, pool, merged);
    }

    public String id() {
        return id;
    }

    public int size() {
        return pool.size();
    }

    /** How many queries have a refusal of their own. */
    public int ownCount() {
        return byRequest.size();
    }

    /** The refusal written for {@code query}, else one drawn from the pool by (seed, query). */
    public Refusal pick(String query, long seed) {
        String own = byRequest.get(query.strip());
        if (own != null) {
            return new Refusal(own, true);
        }
        long h = Long.parseUnsignedLong(ContentHash.of(List.of(Long.toString(seed), query)).substring(0, 15), 16);
        return new Refusal(pool.get((int) (h % pool.size())), false);
    }
}
