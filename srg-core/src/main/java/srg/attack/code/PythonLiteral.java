package srg.attack.code;

/**
 * Python string literals for code-based attacks. Non-ASCII text stays as it is (Python 3 source is
 * UTF-8); quotes, backslashes and control characters are escaped, so the literal evaluates to
 * exactly the given text.
 */
final class PythonLiteral {

    private PythonLiteral() {}

    /** A double-quoted Python string literal. */
    static String of(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
