package srg.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.model.OpenAiChatModel;

/** The HTTP backend's benchmark against the canned server, on a small count; and the served-to-in-process ratio. */
class HttpBenchmarkTest {

    @Test
    void cannedServerAnswersEveryChoiceAndTheBenchmarkCountsThem() {
        try (CannedChatServer server = CannedChatServer.start(2)) {
            try (OpenAiChatModel client = new OpenAiChatModel(OpenAiChatModel.Config.of("bench", List.of(server.baseUrl())))) {
                List<Completion> got = client.sample(List.of(SampleRequest.of(Conversation.user("hi"), 3)), SamplingParams.of(1.0, 8, 0)).get(0);
                assertEquals(3, got.size());
                assertTrue(got.stream().allMatch(c -> !c.isError() && c.text().equals(CannedChatServer.ANSWER)), got.toString());
            }
            HttpBenchmark.Result r = HttpBenchmark.run(server.baseUrl(), "bench", 40, 5, 4, 2);
            assertEquals(0, r.errors());
            assertEquals(40, r.requests());
            assertTrue(r.seconds() > 0);
            assertEquals(2 * r.requestsPerSecond(), r.samplesPerSecond(), 1e-9);
        }
    }

    @Test
    void serveRatioAveragesTheInProcessFigures() {
        ServeRatio ratio = new ServeRatio(100, 80, 72, 45);
        assertEquals(90, ratio.inProcess());
        assertEquals(0.8, ratio.decode(), 1e-12);
        assertEquals(0.5, ratio.output(), 1e-12);
    }
}
