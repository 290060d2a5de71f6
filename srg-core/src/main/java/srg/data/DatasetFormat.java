package srg.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import srg.UserError;

/**
 * The dataset layouts srg reads. Each known benchmark layout is a {@link ColumnMapping} preset over
 * one of three containers (CSV with a header, JSON/JSONL objects, one prompt per text line), so
 * that a new benchmark in one of those containers needs a preset, not a reader.
 */
public enum DatasetFormat {
    /** HarmBench behaviors: Behavior, FunctionalCategory, SemanticCategory, Tags, ContextString, BehaviorID. */
    HARMBENCH("harmbench", Container.CSV, new ColumnMapping("BehaviorID", "Behavior", "SemanticCategory", "ContextString", null),
            Set.of("Behavior", "FunctionalCategory", "SemanticCategory", "ContextString", "BehaviorID")),
    /** AdvBench as redistributed by HarmBench (Behavior, Category, Tags, ContextString, BehaviorID). */
    ADVBENCH("advbench", Container.CSV, new ColumnMapping("BehaviorID", "Behavior", "Category", "ContextString", null),
            Set.of("Behavior", "Category", "ContextString", "BehaviorID")),
    /** The original AdvBench harmful_behaviors.csv: goal, target. */
    ADVBENCH_GOALS("advbench", Container.CSV, new ColumnMapping(null, "goal", null, null, null), Set.of("goal", "target")),
    /** StrongREJECT: category, source, forbidden_prompt. */
    STRONGREJECT("strongreject", Container.CSV, new ColumnMapping(null, "forbidden_prompt", "category", null, null),
            Set.of("category", "source", "forbidden_prompt")),
    /** XSTest v2 prompts: id, prompt, type, label (safe/unsafe), focus, note. */
    XSTEST("xstest", Container.CSV, new ColumnMapping("id", "prompt", "type", null, "label"),
            Set.of("id", "prompt", "type", "label")),
    /** The refusal-direction study's splits: a JSON list of {instruction, category}. */
    REFUSAL_DIRECTION("refusal_direction", Container.JSON, new ColumnMapping(null, "instruction", "category", null, null),
            Set.of("instruction", "category")),
    /** One prompt per line (MaliciousInstruct); blank lines are skipped. */
    LINES("lines", Container.LINES, new ColumnMapping(null, null, null, null, null), Set.of()),
    /** Any CSV with a header; the column mapping says which column is which. */
    CSV("csv", Container.CSV, ColumnMapping.NONE, Set.of()),
    /** One JSON object per line; the mapping names the fields. An OpenAI {@code messages} field works too. */
    JSONL("jsonl", Container.JSONL, ColumnMapping.NONE, Set.of()),
    /** A JSON array of objects; the mapping names the fields. */
    JSON("json", Container.JSON, ColumnMapping.NONE, Set.of());

    /** How the records are stored in the file. */
    public enum Container { CSV, JSON, JSONL, LINES }

    private final String source;
    private final Container container;
    private final ColumnMapping mapping;
    private final Set<String> signature;

    DatasetFormat(String source, Container container, ColumnMapping mapping, Set<String> signature) {
        this.source = source;
        this.container = container;
        this.mapping = mapping;
        this.signature = signature;
    }

    /** The name given to {@code format=} in a dataset spec. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The {@link Behavior#source()} of behaviors read in this format, or null to use the file name. */
    public String source() {
        return this == CSV || this == JSONL || this == JSON || this == LINES ? null : source;
    }

    public Container container() {
        return container;
    }

    /** The preset mapping; generic formats return {@link ColumnMapping#NONE}. */
    public ColumnMapping mapping() {
        return mapping;
    }

    /** The header columns (or object keys) that identify this layout; empty for generic formats. */
    public Set<String> signature() {
        return signature;
    }

    public static DatasetFormat parse(String name, String where) {
        for (DatasetFormat f : values()) {
            if (f.specName().equalsIgnoreCase(name.trim()) || f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new UserError(where + ": unknown dataset format '" + name + "'; known: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(DatasetFormat::specName).collect(Collectors.joining(", "));
    }

    /** The CSV presets, most specific first, tried in order by auto-detection. */
    static List<DatasetFormat> csvPresets() {
        return List.of(HARMBENCH, ADVBENCH, STRONGREJECT, XSTEST, ADVBENCH_GOALS);
    }
}
