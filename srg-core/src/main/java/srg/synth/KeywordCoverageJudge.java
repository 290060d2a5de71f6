package srg.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A guideline is addressed when one of its keywords appears in the reasoning as a whole word,
 * in any case. With the default keywords (the guideline names) this checks that the teacher
 * labelled a step for each guideline, as the prompt asks; it cannot tell whether the step says
 * anything useful, which a {@link ModelCoverageJudge} can.
 */
public final class KeywordCoverageJudge implements CoverageJudge {

    private final Map<String, List<Pattern>> patterns = new LinkedHashMap<>();

    public KeywordCoverageJudge(Guidelines guidelines) {
        for (Guideline g : guidelines.guidelines()) {
            patterns.put(g.name(), g.keywords().stream()
                    .map(k -> Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(k) + "(?![\\p{L}\\p{N}_])",
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
                    .toList());
        }
    }

    @Override
    public String id() {
        return "keywords";
    }

    @Override
    public List<Coverage> check(List<Input> inputs) {
        return inputs.stream().map(i -> check(i.reasoning())).toList();
    }

    public Coverage check(String reasoning) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        patterns.forEach((name, list) -> out.put(name, list.stream().anyMatch(p -> p.matcher(reasoning).find())));
        return new Coverage(out, null);
    }
}
