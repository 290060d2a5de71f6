package srg.study.safetyworld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.PlainPrompt;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;
import srg.data.Behavior;
import srg.store.RunStore;
import srg.world.Disguise;
import srg.world.DisguiseAttack;
import srg.world.World;
import srg.world.WorldRequest;

/**
 * A model's first sample for each of the world's requests in each form of the evaluation, read
 * back from the evaluation's run store: what the audits of a study's responses read.
 */
final class FirstSamples {

    /** One request as asked and the first response to it in one form. */
    record Sample(WorldRequest asked, String text) {}

    private FirstSamples() {}

    /**
     * By attack name (the plain form, then every disguise), the first samples of {@code model} in
     * the run store of {@code runDir} for {@code behaviors}: the forms made with {@code seed}, the
     * samples drawn with {@code sampling}. Requests without a stored first sample, or whose first
     * sample is an error, are left out.
     */
    static Map<String, List<Sample>> read(World world, long seed, SamplingParams sampling, Path runDir, String model,
            List<Behavior> behaviors) {
        List<Attack> forms = new ArrayList<>();
        forms.add(new PlainPrompt(seed));
        for (Disguise d : Disguise.values()) {
            forms.add(new DisguiseAttack(world, d, seed));
        }
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        try (RunStore store = RunStore.open(runDir)) {
            for (Attack form : forms) {
                List<Sample> samples = new ArrayList<>();
                for (Behavior b : behaviors) {
                    Conversation c = form.apply(b).get(0).conversation();
                    Completion first = store.completions(model, c.sha256(), sampling.key(), List.of(0)).get(0);
                    if (first != null && !first.isError()) {
                        samples.add(new Sample(world.parse(b.text()).orElseThrow(), first.text()));
                    }
                }
                out.put(form.name(), samples);
            }
        }
        return out;
    }
}
