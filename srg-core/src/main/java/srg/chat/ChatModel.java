package srg.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Anything that answers chat conversations: an in-process Hugging Face checkpoint, an
 * OpenAI-compatible server, a scripted model in a test, or the SafetyWorld model. One interface
 * serves the target, the attacker, the teacher and the judge.
 *
 * <p>Implementations never throw for a failed request: they return {@link Completion#error}.
 */
public interface ChatModel extends AutoCloseable {

    /** A short stable name, used as the model's key in the run store and in reports. */
    String id();

    /**
     * How this model computes its numbers, where the caller chooses it: an in-process model's
     * matmul format ({@code f32}, {@code bf16}); null for a server or a scripted model, whose
     * numbers are not ours to choose. A run store keys samples by {@link #id()}, and refuses to
     * mix one model's samples computed in two formats (see {@code RunStore.claimNumerics}).
     */
    default String numerics() {
        return null;
    }

    /**
     * Samples responses. The result has one list per request, in order, each holding exactly
     * {@code request.count()} completions, in sample-index order.
     */
    List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params);

    /** Convenience: {@code n} samples (indices 0..n-1) of each conversation. */
    default List<List<Completion>> sample(List<Conversation> conversations, SamplingParams params, int n) {
        List<SampleRequest> requests = new ArrayList<>(conversations.size());
        for (Conversation c : conversations) {
            requests.add(SampleRequest.of(c, n));
        }
        return sample(requests, params);
    }

    /** Convenience: one sample of one conversation. */
    default Completion complete(Conversation conversation, SamplingParams params) {
        return sample(List.of(SampleRequest.of(conversation, 1)), params).get(0).get(0);
    }

    @Override
    default void close() {}
}
