package srg.synth;

/**
 * Why the rejection filter turned a teacher sample down. Format reasons come first and stop the
 * checks (there is nothing well-formed to judge); the coverage and behaviour reasons are all
 * recorded, so one sample may count under several.
 */
public enum Rejection {
    TEACHER_ERROR("teacher-error", "the teacher request failed"),
    TRUNCATED("truncated", "the teacher hit the max-tokens limit"),
    MISSING_TAGS("missing-tags", "no reasoning tags at all"),
    MISSING_OPEN_TAG("missing-open-tag", "a closing tag without an opening one"),
    UNCLOSED_TAG("unclosed-tag", "the reasoning opens and never closes"),
    DUPLICATED_TAG("duplicated-tag", "a tag appears more than once"),
    MISORDERED_TAGS("misordered-tags", "the closing tag comes before the opening one"),
    TEXT_BEFORE_REASONING("text-before-reasoning", "text before the opening tag"),
    EMPTY_REASONING("empty-reasoning", "nothing between the tags"),
    EMPTY_ANSWER("empty-answer", "nothing after the closing tag"),
    GUIDELINE_MISSING("guideline-missing", "a required guideline is not addressed in the reasoning"),
    COVERAGE_ERROR("coverage-error", "the coverage judge could not decide"),
    HARMFUL_NOT_REFUSED("harmful-not-refused", "a harmful query whose final answer does not refuse"),
    BENIGN_REFUSED("benign-refused", "a benign query whose final answer refuses"),
    JUDGE_ERROR("judge-error", "the behaviour judge could not decide");

    private final String wireName;
    private final String description;

    Rejection(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    /** The name in summaries and rejected-sample files. */
    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    /** Whether the reason is about the reply's format (tags, emptiness) rather than its content. */
    public boolean isFormat() {
        return ordinal() <= EMPTY_ANSWER.ordinal();
    }
}
