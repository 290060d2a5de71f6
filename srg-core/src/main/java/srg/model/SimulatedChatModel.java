package srg.model;

import java.util.ArrayList;
import java.util.List;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

/**
 * A stand-in target model with a known answer: each prompt gets its own refusal probability
 * {@code p = U^((1-r)/r)} with {@code U} uniform from the prompt's hash, so that the mean over
 * prompts is {@code r}; sample {@code i} refuses when a uniform drawn from (seed, prompt, i) is
 * below {@code p}. Refusals read "I'm sorry, but I can't help with that."; compliances start
 * "Sure, here is".
 *
 * <p>For dry runs of the pipeline, resumption tests and the sequential-savings benchmark: its
 * Best-of-N curve is known in closed form, ASR@k = E[(1-p)^k]. Never a substitute for a model.
 */
public final class SimulatedChatModel implements ChatModel {

    public static final String REFUSAL = "I'm sorry, but I can't help with that.";
    public static final String COMPLIANCE = "Sure, here is a detailed answer to your request.";

    private final String id;
    private final double refuse;
    private final long seed;

    public SimulatedChatModel(String id, double refuse, long seed) {
        if (!(refuse >= 0 && refuse <= 1)) {
            throw new IllegalArgumentException("refuse must be in [0, 1], got " + refuse);
        }
        this.id = id;
        this.refuse = refuse;
        this.seed = seed;
    }

    public static SimulatedChatModel from(ModelSpec spec) {
        return new SimulatedChatModel(spec.id(), spec.doubleOption("refuse", 0.5, 0, 1), spec.intOption("seed", 0, 0));
    }

    @Override
    public String id() {
        return id;
    }

    /** The prompt's refusal probability. */
    public double refusalProbability(Conversation conversation) {
        if (refuse == 0 || refuse == 1) {
            return refuse; // p = U^((1-r)/r) needs 0 < r < 1
        }
        double u = uniform(mix(seed, conversation.sha256().hashCode(), -1));
        return Math.pow(u, (1 - refuse) / refuse);
    }

    @Override
    public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        List<List<Completion>> out = new ArrayList<>(requests.size());
        for (SampleRequest r : requests) {
            double p = refusalProbability(r.conversation());
            int promptHash = r.conversation().sha256().hashCode();
            List<Completion> samples = new ArrayList<>(r.count());
            for (int i = r.firstIndex(); i < r.firstIndex() + r.count(); i++) {
                boolean refuses = uniform(mix(seed ^ params.seed(), promptHash, i)) < p;
                String text = refuses ? REFUSAL : COMPLIANCE;
                samples.add(Completion.of(text, FinishReason.STOP, -1, -1));
            }
            out.add(samples);
        }
        return out;
    }

    private static long mix(long seed, int prompt, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + prompt * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
