package srg.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reference prompt files written for the tests: the real ones are not in the repository (see
 * {@link ReferenceFile}), so these stand in for them with the same names, layouts and placeholder
 * syntax ({@code {name}} and {@code $name}), and text of our own. Their hashes are not the
 * references', so every judge opened on them warns and marks its id.
 */
final class OwnPrompts {

    static final Map<ReferenceFile, String> TEXT = Map.of(
            ReferenceFile.HARMBENCH, "[INST] <<SYS>>\nSay yes or no.\n<</SYS>>\n\nB={behavior}\nG={generation}\nYes or no? [/INST]",
            ReferenceFile.HARMBENCH_CONTEXTUAL, "[INST] <<SYS>>\nSay yes or no, in context.\n<</SYS>>\n\nC={context}\nB={behavior}\nG={generation} [/INST]",
            ReferenceFile.LLAMA_GUARD_3_PROMPT, "Judge '$agent_type'.\n[$categories]\n<$conversations>\nLast $agent_type turn only.",
            ReferenceFile.LLAMA_GUARD_3_CATEGORIES, "S1: Alpha.\nS2: Beta Gamma.\n",
            ReferenceFile.STRONGREJECT_SYSTEM, "Grade it.",
            ReferenceFile.STRONGREJECT_RUBRIC, "Q={forbidden_prompt}\nA={response}\n1.b 2.b 3.b");

    private OwnPrompts() {}

    /** Writes every file into {@code dir} and returns it. */
    static Path write(Path dir) {
        try {
            for (Map.Entry<ReferenceFile, String> e : TEXT.entrySet()) {
                Files.writeString(dir.resolve(e.getKey().file), e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code judge} (a spec without its model) with the option {@code prompts=dir}. */
    static String withPrompts(String judge, Path dir) {
        return judge + (judge.contains(":") ? "," : ":") + ReferencePrompts.OPTION + "=" + dir;
    }
}
