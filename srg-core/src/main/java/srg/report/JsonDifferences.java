package srg.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where two JSON documents differ, leaf by leaf: what changed between two runs' configurations,
 * as table rows {@code [path, A, B]}. Objects are walked key by key (paths like
 * {@code plan.pretrain.lr}); an array of plain values is one leaf, an array of objects is walked
 * by index. A leaf one side lacks shows as "—".
 */
public final class JsonDifferences {

    private JsonDifferences() {}

    public static List<List<String>> rows(JsonNode a, JsonNode b) {
        Map<String, JsonNode> left = new LinkedHashMap<>();
        Map<String, JsonNode> right = new LinkedHashMap<>();
        flatten("", a, left);
        flatten("", b, right);
        Set<String> paths = new LinkedHashSet<>(left.keySet());
        paths.addAll(right.keySet());
        List<List<String>> out = new ArrayList<>();
        for (String path : paths) {
            JsonNode x = left.get(path);
            JsonNode y = right.get(path);
            if (x == null || !x.equals(y)) {
                out.add(List.of(path, text(x), text(y)));
            }
        }
        return out;
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path, node);
        }
    }

    private static String text(JsonNode v) {
        return v == null ? "—" : v.isTextual() ? v.asText() : v.toString();
    }
}
