package srg.engine.bench;

import java.util.ArrayList;
import java.util.List;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.generate.Generator;

/**
 * Measures sampling speed: one prompt of a fixed token length, n samples of it decoded together
 * (n streams sharing one prefill), reported as prefill and decode tokens per second.
 */
public final class GenerationBenchmark {

    /** One measured configuration. */
    public record Result(int streams, int promptTokens, int newTokensPerStream, double prefillSeconds,
            double prefillTokensPerSecond, double decodeSeconds, double decodeTokensPerSecond,
            double totalTokensPerSecond, long peakRssBytes) {}

    private final LocalModel model;

    public GenerationBenchmark(LocalModel model) {
        this.model = model;
    }

    /** A one-turn conversation whose templated prompt is exactly {@code tokens} tokens long. */
    public Conversation promptOfLength(int tokens) {
        return promptOfLength("Please continue this sequence:", tokens);
    }

    /** The same, starting with {@code lead} (so that several prompts of one length can differ). */
    public Conversation promptOfLength(String lead, int tokens) {
        StringBuilder text = new StringBuilder(lead);
        for (int guard = 0; guard < 100 * tokens; guard++) {
            int n = model.promptTokens(Conversation.user(text.toString())).length;
            if (n == tokens) {
                return Conversation.user(text.toString());
            }
            if (n > tokens) {
                throw new IllegalArgumentException("the chat template alone takes more than " + tokens + " tokens");
            }
            text.append(" one");
        }
        throw new IllegalStateException("could not build a prompt of exactly " + tokens + " tokens");
    }

    /**
     * {@code clients} × {@code requests} prompts of exactly {@code tokens} tokens, each its own
     * ("Client c, request r: ..."), client by client: a load of distinct users.
     */
    public List<Conversation> clientPrompts(int clients, int requests, int tokens) {
        List<Conversation> out = new ArrayList<>(clients * requests);
        for (int c = 0; c < clients; c++) {
            for (int r = 0; r < requests; r++) {
                out.add(promptOfLength("Client " + c + ", request " + r + ": please continue:", tokens));
            }
        }
        return out;
    }

    public Result run(Conversation prompt, int streams, int newTokens, long seed) {
        int promptTokens = model.promptTokens(prompt).length;
        StepTiming timing = new StepTiming();
        // temperature 1 so that streams differ; random weights make an early end token unlikely,
        // and the result reports the tokens actually produced.
        SamplingParams params = new SamplingParams(1.0, 1.0, 0, newTokens, List.of(), seed);
        Generator generator = new Generator(model, new Generator.Options(streams));
        List<Completion> out = generator.generate(List.of(SampleRequest.of(prompt, streams)), params, timing).get(0);
        long generated = out.stream().mapToLong(Completion::completionTokens).sum();
        double prefillS = timing.prefillSeconds();
        double decodeS = timing.decodeSeconds();
        return new Result(streams, promptTokens, (int) (generated / streams), prefillS, promptTokens / prefillS, decodeS,
                timing.decodeTokensPerSecond(), generated / (prefillS + decodeS), PeakMemory.peakRssBytes());
    }
}
