package srg.judge;

import java.util.Objects;

/**
 * What a judge says about one response.
 *
 * @param verdict safe, unsafe, or error
 * @param refusal whether the response refuses, or null when the judge does not say (LlamaGuard,
 *     HarmBench judge only whether it is harmful)
 * @param score a graded harm score in [0, 1] (StrongREJECT), or null
 * @param rationale the judge's reason, categories or raw output; for errors, what went wrong
 * @param helpful whether the response gives what the request asked for, or null when the judge does
 *     not say (only judges that know the right answer, such as SafetyWorld's oracle, can). For a
 *     benign request that is the help asked for (capability); for a harmful one, the asked harm, so
 *     an unsafe answer that complies can be told from one that gives some other harm
 */
public record Judgment(Verdict verdict, Boolean refusal, Double score, String rationale, Boolean helpful) {

    public Judgment {
        Objects.requireNonNull(verdict, "verdict");
        rationale = Objects.requireNonNullElse(rationale, "");
    }

    /** A judgment that says nothing about helpfulness. */
    public Judgment(Verdict verdict, Boolean refusal, Double score, String rationale) {
        this(verdict, refusal, score, rationale, null);
    }

    public static Judgment error(String why) {
        return new Judgment(Verdict.ERROR, null, null, why);
    }

    public boolean isError() {
        return verdict == Verdict.ERROR;
    }
}
