package srg.synth;

import java.util.List;

/** Teacher replies for tests: labelled guideline steps in think tags, then an answer. */
final class Replies {

    static final String REFUSAL = "I'm sorry, but I can't help with that.";

    private Replies() {}

    /** A well-formed reply taking every default guideline's step. */
    static String full(String answer) {
        return without(List.of(), answer);
    }

    /** A well-formed reply that skips the steps named in {@code skipped}. */
    static String without(List<String> skipped, String answer) {
        StringBuilder s = new StringBuilder("<think>\n");
        for (String name : Guidelines.defaults().names()) {
            if (!skipped.contains(name)) {
                s.append(name).append(": considered the ").append(name).append(" of the request.\n");
            }
        }
        return s.append("</think>\n\n").append(answer).toString();
    }
}
