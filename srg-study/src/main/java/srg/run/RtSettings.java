package srg.run;

import java.util.List;
import srg.SettingError;

/**
 * What RT pairing does, as srg synth rt's flags and a study's {@code rt} section give it.
 *
 * @param harmful the harmful query datasets the SRG data was made from
 * @param benign the benign query datasets the SRG data was made from
 * @param refusals where harmful queries' refusals come from: {@code builtin}, {@code srg}, a file,
 *     or {@code model:SPEC}
 * @param judge with {@code model:SPEC}, decides whether a written refusal refuses
 * @param seed seed of the refusal draws
 */
public record RtSettings(List<String> harmful, List<String> benign, String refusals, String judge, long seed) {

    /** The prefix of refusals written by a model. */
    public static final String MODEL_PREFIX = "model:";

    public RtSettings {
        harmful = List.copyOf(harmful);
        benign = List.copyOf(benign);
        if (harmful.isEmpty() && benign.isEmpty()) {
            throw SettingError.of("harmful", "give the harmful and benign query files the SRG data was made from");
        }
        if (refusals == null || refusals.isBlank()) {
            refusals = "builtin";
        }
    }
}
