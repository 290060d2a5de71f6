package srg.run;

import java.nio.file.Path;
import java.util.List;
import srg.SettingError;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.synth.TeacherPrompt;

/**
 * What SRG synthesis does, as srg synth's flags and a study's {@code synth} section give it.
 *
 * @param harmful harmful query datasets; rows labelled benign are skipped
 * @param benign benign query datasets; rows labelled harmful are skipped
 * @param teacher the teacher model spec
 * @param guidelines a guideline file, or null for the built-in set
 * @param require guidelines the reasoning must address, or null for those marked required
 * @param k teacher samples per query
 * @param keep most accepted samples kept per query
 * @param judge decides whether a final answer refuses
 * @param coverageJudge a model spec that decides which guidelines the reasoning addresses, or null for keywords
 * @param thinkTags the reasoning's tags
 * @param instructions guidelines in a system message, or in the user message
 * @param sampling the teacher's sampling
 * @param batch queries per teacher call
 */
public record SynthSettings(List<String> harmful, List<String> benign, String teacher, Path guidelines, List<String> require,
        int k, int keep, String judge, String coverageJudge, ThinkTags thinkTags, TeacherPrompt.Placement instructions,
        SamplingParams sampling, int batch) {

    public SynthSettings {
        harmful = List.copyOf(harmful);
        benign = List.copyOf(benign);
        require = require == null ? null : List.copyOf(require);
        if (teacher == null || teacher.isBlank()) {
            throw SettingError.of("teacher", "a teacher model is needed");
        }
        if (harmful.isEmpty() && benign.isEmpty()) {
            throw SettingError.of("harmful", "give harmful or benign queries (or both)");
        }
        if (k < 1) {
            throw SettingError.of("k", "must be at least 1, got " + k);
        }
        if (keep < 1) {
            throw SettingError.of("keep", "must be at least 1, got " + keep);
        }
        if (keep > k) {
            throw SettingError.of("keep", keep + " is more than the " + k + " samples per query (k)");
        }
        if (batch < 1) {
            throw SettingError.of("batch", "must be at least 1, got " + batch);
        }
    }
}
