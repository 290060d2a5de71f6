package srg.synth;

import java.util.List;
import java.util.Objects;

/**
 * One perspective the teacher's safety reasoning takes on a request: intent, context, knowledge,
 * harm, policy, reflection, refinement, helpfulness. Each becomes one labelled step of the
 * reasoning ({@code intent: ...}).
 *
 * @param name the step's label, a single word such as {@code intent}
 * @param question what the step answers, as the teacher reads it
 * @param example a short illustration of a good step
 * @param keywords words whose presence in the reasoning shows the step was taken, for the keyword
 *     coverage check (matched case-insensitively as whole words); the name when none are given
 * @param required whether the rejection filter demands that the reasoning address it
 */
public record Guideline(String name, String question, String example, List<String> keywords, boolean required) {

    public Guideline {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(example, "example");
        keywords = keywords == null || keywords.isEmpty() ? List.of(name) : List.copyOf(keywords);
    }
}
