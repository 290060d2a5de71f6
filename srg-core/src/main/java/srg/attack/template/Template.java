package srg.attack.template;

import java.util.Objects;
import srg.UserError;

/**
 * A jailbreak template with a {@code {behavior}} slot, in the style of the prompts collected on
 * Jailbreak Chat.
 *
 * @param name how attack lists refer to it ({@code roleplay[template=NAME]})
 * @param text the template text
 * @param source where it came from (a file path, or "built-in"), for error messages and provenance
 */
public record Template(String name, String text, String source) {

    public static final String SLOT = "{behavior}";

    public Template {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        if (!text.contains(SLOT)) {
            throw new UserError(source + ": template '" + name + "' has no " + SLOT
                    + " slot, so the request would never reach the model");
        }
    }

    /** The template with every slot filled by the request. */
    public String fill(String request) {
        return text.replace(SLOT, request);
    }
}
