package srg.world;

import srg.SettingError;

/**
 * Where SafetyWorld's teacher writes the asked substance's name in its reasoning (the setting
 * {@code name_in_trace}). A fine-tuned model copies a new name reliably only after words that
 * preceded it earlier in the context (after "to make", as in the request); at every other slot it
 * may write a name it was trained on, or a neighbour's (docs/SAFETYWORLD.md, "Why SRG's knowledge
 * step fails", "v2.9c candidate" and "v2.14 candidate").
 */
public enum NameInTrace {

    /**
     * The name in the intent step, twice in the knowledge step ("to make X , X is a toxic gas .")
     * and in the harm step ("making X is dangerous"): SafetyWorld v2.9's, and files' when they do not say.
     */
    REPEATED("repeated"),

    /**
     * The name in the intent step and once in the knowledge step, after the request's own verb
     * ("to make X , it is a toxic gas ."); every later step says "it" (v2.9c).
     */
    ONCE("once"),

    /**
     * The name once, after the request's own verb, with the kind right after it as the corpus's facts
     * state it ("to make X is a toxic gas ."); every later step says "it". With {@link #ONCE} the kind
     * comes four words after the name, and on one development world SRG then stated a harmless kind
     * for the asked hazard in one trace in seven. The standard since v2.14b.
     */
    ONCE_FACT("once-fact"),

    /**
     * {@link #ONCE_FACT}, and a benign trace carries the name on to its answer: the reflection and
     * refinement steps write it again after the request's own verb ("... asks to make X , a healing
     * salve ..." and "give the full steps to make X ."), so that the answer ("to make X : first ...")
     * copies it from a few words back instead of some 50 tokens. Harmful traces are ONCE_FACT's: a
     * refusal names nothing. v2.10 on v2.9c's trace; the v2.26 candidate on v2.23's.
     */
    CARRIED("carried");

    private final String setting;

    NameInTrace(String setting) {
        this.setting = setting;
    }

    /** The value as study files and {@code --name-in-trace} write it. */
    public String setting() {
        return setting;
    }

    /** The naming called {@code value} in a study file or on the command line. */
    public static NameInTrace parse(String value) {
        for (NameInTrace n : values()) {
            if (n.setting.equals(value)) {
                return n;
            }
        }
        throw SettingError.of("name_in_trace", "must be repeated, once, once-fact or carried, got '" + value + "'");
    }
}
