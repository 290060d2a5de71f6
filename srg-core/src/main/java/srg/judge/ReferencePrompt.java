package srg.judge;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import srg.UserError;

/**
 * A judge prompt as its authors published it, read by {@link ReferencePrompts} from a file the user
 * supplies. Placeholders are written as in the source, {@code {name}} (Python {@code str.format})
 * or {@code $name} ({@code string.Template}), and are filled in one pass, so a response that
 * itself contains {@code {behavior}} is left as it is.
 *
 * @param file where the text was read, for messages
 * @param text the template
 */
record ReferencePrompt(String file, String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}|\\$(\\w+)");

    /** The text with every placeholder named in {@code values} replaced; others stay as written. */
    String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The part of the text between {@code prefix} and {@code suffix}, which it must start and end with. */
    ReferencePrompt between(String prefix, String suffix) {
        int start = text.indexOf(prefix);
        int end = text.lastIndexOf(suffix);
        if (start != 0 || end < prefix.length() || end + suffix.length() != text.length()) {
            throw new UserError(file + " is not laid out as '" + prefix.replace("\n", "\\n") + "...' + '" + suffix.replace("\n", "\\n") + "'");
        }
        return new ReferencePrompt(file, text.substring(prefix.length(), end));
    }
}
