package srg.engine.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python string and dict methods that Hugging Face chat templates call
 * ({@code content.strip()}, {@code content.split('</think>')}, {@code message.get('x', y)}, ...).
 * Jinja runs templates against Python objects; jinjava runs them against Java ones, whose methods
 * have other names and (for split) other semantics.
 */
final class PythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = null;
        if (base instanceof CharSequence cs) {
            result = stringMethod(cs.toString(), method.toString(), args);
        } else if (base instanceof Map<?, ?> map) {
            result = mapMethod(map, method.toString(), args);
        }
        if (result != null) {
            context.setPropertyResolved(true);
        }
        return result;
    }

    private static Object stringMethod(String s, String name, Object[] args) {
        String a0 = args.length > 0 && args[0] != null ? args[0].toString() : null;
        return switch (name) {
            case "startswith" -> a0 != null && s.startsWith(a0);
            case "endswith" -> a0 != null && s.endsWith(a0);
            case "strip" -> strip(s, a0, true, true);
            case "lstrip" -> strip(s, a0, true, false);
            case "rstrip" -> strip(s, a0, false, true);
            case "split" -> a0 == null ? whitespaceSplit(s) : split(s, a0);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> args.length >= 2 ? s.replace(a0, String.valueOf(args[1])) : null;
            case "find" -> a0 == null ? null : (long) s.indexOf(a0);
            case "count" -> a0 == null ? null : (long) count(s, a0);
            default -> null;
        };
    }

    private static Object mapMethod(Map<?, ?> map, String name, Object[] args) {
        return switch (name) {
            case "get" -> args.length == 0 ? null
                    : map.containsKey(args[0]) ? nullToEmpty(map.get(args[0]))
                    : args.length > 1 ? args[1] : "";
            case "items" -> {
                List<List<Object>> items = new ArrayList<>();
                map.forEach((k, v) -> items.add(List.of(k, v == null ? "" : v)));
                yield items;
            }
            case "keys" -> new ArrayList<>(map.keySet());
            case "values" -> new ArrayList<>(map.values());
            default -> null;
        };
    }

    private static Object nullToEmpty(Object o) {
        return o == null ? "" : o;
    }

    /** Python's str.strip family: whitespace by default, else any of the given characters. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int a = 0;
        int b = s.length();
        if (left) {
            while (a < b && stripped(s.charAt(a), chars)) {
                a++;
            }
        }
        if (right) {
            while (b > a && stripped(s.charAt(b - 1), chars)) {
                b--;
            }
        }
        return s.substring(a, b);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    /** Python's str.split(sep): literal separator, keeps empty parts. */
    static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = s.indexOf(sep, from);
            if (at < 0 || sep.isEmpty()) {
                out.add(s.substring(from));
                return out;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
    }

    private static List<String> whitespaceSplit(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return sb.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }

    // This resolver only invokes methods; property access falls through to jinjava's resolvers.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
