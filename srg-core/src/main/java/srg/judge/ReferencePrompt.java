package srg.judge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge prompt as its authors published it, read from {@code srg/judge/reference/} (sources and
 * licences in the README there). Placeholders are written as in the source, {@code {name}}
 * (Python {@code str.format}) or {@code $name} ({@code string.Template}), and are filled in one
 * pass, so a response that itself contains {@code {behavior}} is left as it is.
 */
record ReferencePrompt(String file, String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}|\\$(\\w+)");

    static ReferencePrompt load(String file) {
        try (InputStream in = ReferencePrompt.class.getResourceAsStream("reference/" + file)) {
            if (in == null) {
                throw new IOException("no resource srg/judge/reference/" + file);
            }
            return new ReferencePrompt(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("the reference judge prompt " + file + " is missing from the jar", e);
        }
    }

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
            throw new IllegalStateException(file + " is not laid out as '" + prefix + "...' + '" + suffix + "'");
        }
        return new ReferencePrompt(file, text.substring(prefix.length(), end));
    }
}
