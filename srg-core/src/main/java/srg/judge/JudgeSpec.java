package srg.judge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import srg.UserError;
import srg.model.ModelSpec;

/**
 * A judge as written on the command line: {@code NAME[:OPTION[,OPTION...]][@MODEL-SPEC]}, where an
 * option is {@code key=value} or a bare word, and the model spec (see {@link ModelSpec}) follows
 * the first {@code @}. Examples: {@code refusal-classifier}, {@code keyword:prefix},
 * {@code keyword:list=my_refusals.txt}, {@code llamaguard@openai:meta-llama/Llama-Guard-3-8B@http://localhost:8001/v1},
 * {@code strongreject:threshold=0.25@openai:gpt-4o-mini@https://api.openai.com/v1}.
 *
 * @param name the judge's name
 * @param options bare words map to the empty string
 * @param model the judge model, or null for model-free judges
 * @param text the spec as written
 */
public record JudgeSpec(String name, Map<String, String> options, ModelSpec model, String text) {

    /** The syntax of every judge in the catalogue ({@link Judges}), for {@code --help} texts. */
    public static final String SYNTAX = Judges.SYNTAX;

    public JudgeSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static JudgeSpec parse(String spec) {
        String s = spec.trim();
        int at = s.indexOf('@');
        String head = at < 0 ? s : s.substring(0, at);
        ModelSpec model = null;
        if (at >= 0) {
            if (at == s.length() - 1) {
                throw new UserError("judge '" + spec + "': nothing after '@'; expected a model spec");
            }
            model = ModelSpec.parse(s.substring(at + 1));
        }
        int colon = head.indexOf(':');
        String name = (colon < 0 ? head : head.substring(0, colon)).trim();
        if (name.isEmpty()) {
            throw new UserError("judge '" + spec + "': no judge name; expected one of:\n" + SYNTAX);
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String opt : head.substring(colon + 1).split(",")) {
                if (opt.isBlank()) {
                    continue;
                }
                int eq = opt.indexOf('=');
                options.put(eq < 0 ? opt.trim() : opt.substring(0, eq).trim(), eq < 0 ? "" : opt.substring(eq + 1).trim());
            }
        }
        return new JudgeSpec(name, options, model, spec);
    }

    /** A numeric option, or the fallback; a bad value names the judge and the option. */
    double number(String key, double fallback, double min, double max) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("judge '" + text + "': " + key + "= takes a number in [" + min + ", " + max + "], got '" + v + "'");
    }
}
