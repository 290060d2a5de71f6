package srg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.attack.ScriptedChatModel;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

class CachedChatModelTest {

    @TempDir
    Path tmp;

    @Test
    void storedSamplesAreNeverAskedForAgainButFailedOnesAre() {
        AtomicInteger failures = new AtomicInteger(1);
        ScriptedChatModel inner = new ScriptedChatModel("m", (c, i) ->
                i == 1 && failures.getAndDecrement() > 0 ? null : c.lastUserContent() + "#" + i);
        SamplingParams p = SamplingParams.of(1, 32, 5);
        Conversation a = Conversation.user("a");
        Conversation b = Conversation.user("b");
        try (RunStore store = RunStore.open(tmp)) {
            CachedChatModel cached = new CachedChatModel(inner, store);
            List<List<Completion>> first = cached.sample(List.of(SampleRequest.of(a, 3)), p);
            assertTrue(first.get(0).get(1).isError());
            assertEquals("a#2", first.get(0).get(2).text());
            assertEquals(1, cached.failedSamples());

            List<List<Completion>> second = cached.sample(List.of(SampleRequest.of(a, 4), SampleRequest.of(b, 1)), p);
            assertEquals(List.of("a#0", "a#1", "a#2", "a#3"), second.get(0).stream().map(Completion::text).toList());
            assertEquals("b#0", second.get(1).get(0).text());
            // Only the failed index 1, the new index 3 and b were asked for.
            assertEquals(List.of(0, 1, 2, 1, 3, 0), inner.calls().stream().map(ScriptedChatModel.Call::index).toList());
            assertEquals(2, cached.cachedSamples());
            assertEquals(6, cached.drawnSamples());

            // Other sampling settings are other samples.
            cached.sample(List.of(SampleRequest.of(a, 1)), p.withSeed(6));
            assertEquals(7, inner.calls().size());
        }
        try (RunStore store = RunStore.open(tmp)) {
            CachedChatModel reopened = new CachedChatModel(inner, store);
            assertEquals("a#3", reopened.sample(List.of(new SampleRequest(a, 3, 1)), p).get(0).get(0).text());
            assertEquals(7, inner.calls().size(), "a reopened store answers from disk");
        }
    }

    /** A scripted model that says it computes in {@code numerics}. */
    private static ChatModel computingIn(String numerics) {
        ScriptedChatModel inner = new ScriptedChatModel("m", (c, i) -> "x");
        return new ChatModel() {
            @Override
            public String id() {
                return inner.id();
            }

            @Override
            public String numerics() {
                return numerics;
            }

            @Override
            public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
                return inner.sample(requests, params);
            }
        };
    }

    @Test
    void oneModelsSamplesNeverMixTwoNumberFormats() {
        SamplingParams p = SamplingParams.of(1, 32, 5);
        try (RunStore store = RunStore.open(tmp)) {
            new CachedChatModel(computingIn("f32"), store).sample(List.of(SampleRequest.of(Conversation.user("a"), 1)), p);
            new CachedChatModel(computingIn("f32"), store); // the same format continues
            UserError e = assertThrows(UserError.class, () -> new CachedChatModel(computingIn("bf16"), store));
            assertTrue(e.getMessage().contains("model 'm' has samples here computed in f32, and it now computes in bf16")
                    && e.getMessage().contains("Set the model's dtype to f32"), e.getMessage());
            new CachedChatModel(computingIn(null), store); // a server's numbers are not ours to check
            assertEquals("f32", store.meta("numerics:m"));
        }
    }

    @Test
    void samplesStoredBeforeFormatsWereRecordedAreF32() {
        SamplingParams p = SamplingParams.of(1, 32, 5);
        try (RunStore store = RunStore.open(tmp)) {
            new CachedChatModel(computingIn(null), store).sample(List.of(SampleRequest.of(Conversation.user("a"), 1)), p);
            assertEquals(null, store.meta("numerics:m"));
            assertThrows(UserError.class, () -> new CachedChatModel(computingIn("bf16"), store));
            new CachedChatModel(computingIn("f32"), store);
            assertEquals("f32", store.meta("numerics:m"));
            // A model with no samples yet takes whatever it computes in.
            store.claimNumerics("fresh", "bf16");
            assertEquals("bf16", store.meta("numerics:fresh"));
        }
    }
}
