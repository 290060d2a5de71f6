package srg.attack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import srg.UserError;

/**
 * One attack as named in an attack list: a family name and optional parameters in brackets,
 * e.g. {@code caesar}, {@code caesar[shift=5]}, {@code deepinception[layers=3,scene=a heist film]}.
 *
 * <p>The list syntax: attacks separated by commas, layers of a composite joined by {@code +}
 * (outermost first); commas and plus signs inside brackets belong to the parameters.
 *
 * @param family the attack family ({@code caesar})
 * @param params the parameters as written, in order
 * @param text the spec as written, used as the attack's name
 */
public record AttackSpec(String family, Map<String, String> params, String text) {

    public AttackSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses a whole list into composites: {@code "none,roleplay+base64"} → [[none], [roleplay, base64]]. */
    public static List<List<AttackSpec>> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new UserError("the attack list is empty; name at least one attack (e.g. none,caesar)");
        }
        List<List<AttackSpec>> out = new ArrayList<>();
        for (String item : split(list, ',', list)) {
            List<AttackSpec> layers = new ArrayList<>();
            for (String layer : split(item, '+', list)) {
                layers.add(parse(layer, list));
            }
            out.add(layers);
        }
        return out;
    }

    /** Parses one layer, e.g. {@code caesar[shift=5]}. */
    public static AttackSpec parse(String text, String list) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new UserError("attack list \"" + list + "\": empty attack name (check for doubled ',' or '+')");
        }
        int open = t.indexOf('[');
        if (open < 0) {
            if (t.indexOf(']') >= 0) {
                throw new UserError("attack list \"" + list + "\": unbalanced ']' in \"" + t + "\"");
            }
            return new AttackSpec(t, Map.of(), t);
        }
        if (!t.endsWith("]")) {
            throw new UserError("attack list \"" + list + "\": \"" + t + "\" must end with ']'");
        }
        String family = t.substring(0, open).strip();
        Map<String, String> params = new LinkedHashMap<>();
        String inner = t.substring(open + 1, t.length() - 1);
        if (!inner.isBlank()) {
            for (String pair : inner.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new UserError("attack list \"" + list + "\": parameter \"" + pair.strip()
                            + "\" of " + family + " must be key=value");
                }
                String key = pair.substring(0, eq).strip();
                if (params.put(key, pair.substring(eq + 1).strip()) != null) {
                    throw new UserError("attack list \"" + list + "\": parameter " + key + " of " + family + " given twice");
                }
            }
        }
        return new AttackSpec(family, params, t);
    }

    /** Splits on a separator outside brackets. */
    private static List<String> split(String s, char separator, String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
                if (depth > 1) {
                    throw new UserError("attack list \"" + list + "\": nested '[' at position " + (i + 1));
                }
            } else if (c == ']') {
                depth--;
                if (depth < 0) {
                    throw new UserError("attack list \"" + list + "\": unbalanced ']' at position " + (i + 1));
                }
            } else if (c == separator && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new UserError("attack list \"" + list + "\": missing ']'");
        }
        out.add(s.substring(start));
        return out;
    }

    /** Fails unless every parameter given is one this attack accepts. */
    public void requireKnownParams(Set<String> accepted) {
        for (String key : params.keySet()) {
            if (!accepted.contains(key)) {
                throw new UserError("attack " + text + ": unknown parameter '" + key + "'; "
                        + (accepted.isEmpty() ? family + " takes no parameters" : "known: " + String.join(", ", new TreeSet<>(accepted))));
            }
        }
    }

    public String string(String key, String fallback) {
        String v = params.get(key);
        if (v != null && v.isEmpty()) {
            throw new UserError("attack " + text + ": parameter " + key + " is empty");
        }
        return v == null ? fallback : v;
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UserError("attack " + text + ": parameter " + key + "=" + v + " must be in [" + min + ", " + max + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UserError("attack " + text + ": parameter " + key + "=" + v + " is not a whole number");
        }
    }

    /** A parameter that must be one of a few words. */
    public String choice(String key, String fallback, List<String> allowed) {
        String v = string(key, fallback);
        if (!allowed.contains(v)) {
            throw new UserError("attack " + text + ": parameter " + key + "=" + v + " must be one of " + String.join(", ", allowed));
        }
        return v;
    }
}
