package srg.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.TestModels;
import srg.engine.model.ModelFamily;

class GeneratorTest {

    private static LocalModel model;
    private static final List<Conversation> PROMPTS = List.of(
            Conversation.user("Hello"),
            Conversation.of("You are terse.", "Tell me a very long story about the sea and its many moods."),
            Conversation.user("Why is the sky blue?"));
    private static final SamplingParams SAMPLING = new SamplingParams(1.0, 0.95, 50, 12, List.of(), 1234);

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TestModels.tiny(ModelFamily.QWEN2), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<List<Completion>> run(int maxBatch, List<SampleRequest> requests, SamplingParams p) {
        return new Generator(model, new Generator.Options(maxBatch)).generate(requests, p);
    }

    private static List<SampleRequest> requests(int n) {
        List<SampleRequest> out = new ArrayList<>();
        for (Conversation c : PROMPTS) {
            out.add(SampleRequest.of(c, n));
        }
        return out;
    }

    private static List<String> texts(List<List<Completion>> results) {
        List<String> out = new ArrayList<>();
        results.forEach(r -> r.forEach(c -> out.add(c.text())));
        return out;
    }

    @Test
    void sameSeedSameSamples() {
        List<String> a = texts(run(32, requests(4), SAMPLING));
        List<String> b = texts(run(32, requests(4), SAMPLING));
        assertEquals(a, b);
        Set<String> distinct = new HashSet<>(a);
        assertTrue(distinct.size() > a.size() / 2, "samples should differ from each other: " + a);
        List<String> other = texts(run(32, requests(4), SAMPLING.withSeed(99)));
        assertNotEquals(a, other);
    }

    @Test
    void batchedEqualsOneAtATime() {
        List<String> batched = texts(run(32, requests(3), SAMPLING));
        List<String> single = new ArrayList<>();
        for (SampleRequest r : requests(3)) {
            // One prompt and one sample per call, with the sample's own index.
            for (int i = 0; i < r.count(); i++) {
                single.addAll(texts(run(1, List.of(new SampleRequest(r.conversation(), i, 1)), SAMPLING)));
            }
        }
        assertEquals(batched, single);
        // Small batches that split a prompt's samples change nothing either.
        assertEquals(batched, texts(run(2, requests(3), SAMPLING)));
    }

    @Test
    void greedyIsDeterministicAndIgnoresSeed() {
        SamplingParams greedy = SamplingParams.greedy(10);
        List<String> a = texts(run(8, requests(2), greedy));
        List<String> b = texts(run(8, requests(2), greedy.withSeed(5)));
        assertEquals(a, b);
        assertEquals(a.get(0), a.get(1), "greedy samples of one prompt are identical");
    }

    @Test
    void maxTokensAndFinishReason() {
        List<Completion> out = run(8, List.of(SampleRequest.of(PROMPTS.get(0), 3)), SamplingParams.of(1.0, 5, 1)).get(0);
        for (Completion c : out) {
            assertTrue(c.completionTokens() <= 5);
            assertTrue(c.promptTokens() > 0);
            if (c.finishReason() == FinishReason.LENGTH) {
                assertEquals(5, c.completionTokens());
            }
        }
    }

    @Test
    void stopStringsCutTheText() {
        // Find what greedy decoding says, then stop on a piece of it.
        String full = run(1, List.of(SampleRequest.of(PROMPTS.get(2), 1)), SamplingParams.greedy(12)).get(0).get(0).text();
        assertTrue(full.length() > 4, "greedy output: " + full);
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        Completion cut = run(1, List.of(SampleRequest.of(PROMPTS.get(2), 1)),
                SamplingParams.greedy(12).withStop(List.of(stop))).get(0).get(0);
        assertEquals(FinishReason.STOP, cut.finishReason());
        assertEquals(full.substring(0, full.indexOf(stop)), cut.text());
        assertFalse(cut.text().contains(stop));
    }

    @Test
    void tooLongPromptIsAnErrorCompletionNotAnException() {
        SamplingParams huge = SamplingParams.greedy(model.transformer().config().maxPositions());
        Completion c = run(4, List.of(SampleRequest.of(PROMPTS.get(0), 2)), huge).get(0).get(0);
        assertTrue(c.isError());
        assertTrue(c.error().contains("exceeds the model's context"), c.error());
    }
}
