package srg.synth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import srg.UserError;
import srg.data.Behavior;
import srg.io.ContentHash;

/**
 * The training queries of a synthesis: harmful and benign behaviors, keyed by the text the student
 * will see ({@link Behavior#prompt()}). A text given twice with the same label is kept once; a
 * text labelled both harmful and benign is a user error.
 */
public final class QuerySet {

    private final Map<String, Behavior> byText = new LinkedHashMap<>();
    private int duplicates;

    public QuerySet(List<Behavior> harmful, List<Behavior> benign) {
        for (List<Behavior> list : List.of(harmful, benign)) {
            for (Behavior b : list) {
                Behavior earlier = byText.putIfAbsent(b.prompt(), b);
                if (earlier == null) {
                    continue;
                }
                if (earlier.harmful() != b.harmful()) {
                    throw new UserError("query '" + abbreviate(b.prompt()) + "' is both harmful (" + describe(earlier.harmful() ? earlier : b)
                            + ") and benign (" + describe(earlier.harmful() ? b : earlier) + "); remove one");
                }
                duplicates++;
            }
        }
        if (byText.isEmpty()) {
            throw new UserError("no queries: the harmful and benign query files hold no behaviors");
        }
    }

    public List<Behavior> queries() {
        return List.copyOf(byText.values());
    }

    public int size() {
        return byText.size();
    }

    /** Texts given more than once with the same label (kept once). */
    public int duplicates() {
        return duplicates;
    }

    /** The behavior whose prompt is {@code text}, or null. */
    public Behavior find(String text) {
        return byText.get(text);
    }

    /** The order-free identity of a set of query texts: SHA-256 of the sorted distinct texts. */
    public static String sha256(Iterable<String> texts) {
        TreeSet<String> sorted = new TreeSet<>();
        texts.forEach(sorted::add);
        return ContentHash.of(sorted);
    }

    /** Sizes and hash, for summaries. */
    public void write(ObjectNode node) {
        long harmful = byText.values().stream().filter(Behavior::harmful).count();
        node.put("queries", byText.size());
        node.put("harmful", harmful);
        node.put("benign", byText.size() - harmful);
        node.put("duplicates_dropped", duplicates);
        node.put("sha256", sha256(byText.keySet()));
    }

    private static String describe(Behavior b) {
        return (b.source().isEmpty() ? "" : b.source() + " ") + "id " + b.id();
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }

    /** The queries in the order given, harmful ones first. */
    public List<String> texts() {
        return new ArrayList<>(byText.keySet());
    }
}
