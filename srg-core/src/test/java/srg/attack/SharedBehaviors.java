package srg.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import srg.data.Behavior;

/**
 * Every behavior in {@code ../shared/data/harmful}, read just well enough for attack tests (the
 * real dataset loaders live in srg.data): HarmBench/AdvBench CSVs (Behavior, ContextString),
 * StrongREJECT (forbidden_prompt), the refusal-direction JSON lists (instruction) and
 * MaliciousInstruct (one prompt a line).
 */
public final class SharedBehaviors {

    private SharedBehaviors() {}

    public static Path harmfulDir() {
        return Path.of(System.getProperty("srg.shared")).resolve("data/harmful");
    }

    public static List<Behavior> all() throws IOException {
        List<Behavior> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(harmfulDir())) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String stem = name.replaceFirst("\\.[^.]+$", "");
            if (name.endsWith(".csv")) {
                CsvMapper csv = new CsvMapper();
                try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class)
                        .with(CsvSchema.emptySchema().withHeader()).readValues(f.toFile())) {
                    int i = 0;
                    while (rows.hasNext()) {
                        Map<String, String> row = rows.next();
                        String text = row.containsKey("Behavior") ? row.get("Behavior") : row.get("forbidden_prompt");
                        String context = row.get("ContextString");
                        out.add(new Behavior(stem + "_" + i++, text, "", true, stem, context == null || context.isBlank() ? null : context));
                    }
                }
            } else if (name.endsWith(".json")) {
                JsonNode root = new ObjectMapper().readTree(f.toFile());
                for (int i = 0; i < root.size(); i++) {
                    out.add(new Behavior(stem + "_" + i, root.get(i).get("instruction").asText(), "", true, stem, null));
                }
            } else if (name.endsWith(".txt") && !name.startsWith("LICENSE")) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        out.add(new Behavior(stem + "_" + i, lines.get(i), "", true, stem, null));
                    }
                }
            }
        }
        return out;
    }
}
