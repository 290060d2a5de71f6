package srg.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which guidelines a piece of reasoning addresses: by keywords ({@link KeywordCoverageJudge})
 * or by asking a model ({@link ModelCoverageJudge}). Never throws for one bad input: that input
 * gets a {@link Coverage} with an error.
 */
public interface CoverageJudge extends AutoCloseable {

    /** One piece of reasoning to check. */
    record Input(String query, String reasoning) {
        public Input {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(reasoning, "reasoning");
        }
    }

    /**
     * The decision on one input.
     *
     * @param addressed by guideline name, in the set's order; empty on error
     * @param error why no decision was reached, or null
     */
    record Coverage(Map<String, Boolean> addressed, String error) {
        public Coverage {
            addressed = Collections.unmodifiableMap(new LinkedHashMap<>(addressed));
        }

        public static Coverage failed(String why) {
            return new Coverage(Map.of(), why);
        }

        public boolean isError() {
            return error != null;
        }
    }

    /** A stable name, recorded in the provenance and the summary. */
    String id();

    /** One coverage per input, in order. */
    List<Coverage> check(List<Input> inputs);

    @Override
    default void close() {}
}
