package srg.parity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Families × features of the checkpoint checks: a cell passes when every case of that family
 * with that feature matched transformers on every check. A feature the family's transformers
 * class does not have is n/a.
 */
final class FeatureMatrix {

    static final List<String> FEATURES = List.of("GQA", "tied", "untied", "qkv bias", "qk norm", "llama3 rope",
            "linear rope", "window < seq", "F32", "F16", "BF16", "sharded", "v4 config", "v5 config");

    private final Map<String, Map<String, Boolean>> cells = new LinkedHashMap<>();

    /** Why a family lacks a feature, or null when it has it. */
    static String notApplicable(String family, String feature) {
        return switch (feature) {
            case "qkv bias" -> family.equals("mistral") ? "transformers' Mistral has no projection biases" : null;
            case "qk norm" -> family.equals("qwen3") ? null : "only Qwen3 normalizes q and k";
            case "window < seq" -> family.equals("llama") ? "transformers' Llama has no sliding window" : null;
            default -> null;
        };
    }

    synchronized void record(String family, List<String> features, boolean passed) {
        Map<String, Boolean> row = cells.computeIfAbsent(family, f -> new LinkedHashMap<>());
        for (String feature : features) {
            row.merge(feature, passed, Boolean::logicalAnd);
        }
    }

    /** Applicable cells no case covered or a case failed, as "family/feature" strings. */
    synchronized List<String> gaps() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Boolean>> row : cells.entrySet()) {
            for (String feature : FEATURES) {
                Boolean ok = row.getValue().get(feature);
                if (notApplicable(row.getKey(), feature) == null && !Boolean.TRUE.equals(ok)) {
                    out.add(row.getKey() + "/" + feature + (ok == null ? " (not covered)" : " (failed)"));
                }
            }
        }
        return out;
    }

    /** A Markdown table: ✓ passed, ✗ failed, n/a not in the family, — not covered. */
    synchronized String render() {
        StringBuilder out = new StringBuilder("| family | " + String.join(" | ", FEATURES) + " |\n|---|");
        out.append("---|".repeat(FEATURES.size())).append('\n');
        for (Map.Entry<String, Map<String, Boolean>> row : cells.entrySet()) {
            out.append("| ").append(row.getKey()).append(" |");
            for (String feature : FEATURES) {
                Boolean ok = row.getValue().get(feature);
                String cell = ok != null ? (ok ? "✓" : "✗") : notApplicable(row.getKey(), feature) != null ? "n/a" : "—";
                out.append(' ').append(cell).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
