package srg.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

class BatchSchedulerTest {

    private static LocalModel model;
    private static final Conversation SHORT = Conversation.user("Hi");
    private static final Conversation LONG = Conversation.of("You are terse.", "Tell me a very long story about the sea and its many moods.");
    /**
     * Plain temperature sampling. The logits of a row can differ in their last bit with the number
     * of rows in the batch (the BLAS picks its kernel by row count), which can reorder near-tied
     * tokens, so top-p and top-k choices are only reproduced across different batch shapes when
     * no tie is that close; plain sampling walks the vocabulary in id order and is not affected.
     */
    private static final SamplingParams SAMPLED = new SamplingParams(1.0, 1.0, 0, 14, List.of(), 77);

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TestModels.tiny(ModelFamily.QWEN2), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Collects one job's events. */
    private static final class Collected implements SampleSink {
        final Completion[] completions;
        final StringBuilder[] deltas;
        final List<List<TokenEvent>> events = new ArrayList<>();
        final String[] tails;
        final int first;

        Collected(int first, int count) {
            this.first = first;
            completions = new Completion[count];
            deltas = new StringBuilder[count];
            tails = new String[count];
            for (int i = 0; i < count; i++) {
                deltas[i] = new StringBuilder();
                events.add(new ArrayList<>());
            }
        }

        @Override
        public void token(TokenEvent e) {
            events.get(e.sample() - first).add(e);
            if (e.delta() != null) {
                deltas[e.sample() - first].append(e.delta());
            }
        }

        @Override
        public void finished(int sample, Completion c, String tail) {
            completions[sample - first] = c;
            tails[sample - first] = tail;
        }

        List<String> texts() {
            List<String> out = new ArrayList<>();
            for (Completion c : completions) {
                out.add(c.text());
            }
            return out;
        }
    }

    private static Collected submit(BatchScheduler s, Conversation c, int first, int count, SamplingParams p, boolean deltas) {
        Collected sink = new Collected(first, count);
        SampleJob job = SampleJob.chat(model.promptTokens(c), c, first, count, p, sink);
        s.submit(deltas ? job.withTextDeltas() : job);
        return sink;
    }

    private static List<String> alone(Conversation c, int first, int count, SamplingParams p) {
        List<String> out = new ArrayList<>();
        new Generator(model, new Generator.Options(32)).generate(List.of(new SampleRequest(c, first, count)), p)
                .get(0).forEach(x -> out.add(x.text()));
        return out;
    }

    @Test
    void jobsJoiningARunningBatchSayWhatTheyWouldSayAlone() {
        SamplingParams greedy = SamplingParams.greedy(10);
        try (BatchScheduler s = new BatchScheduler(model, 8, GenerationListener.NONE)) {
            Collected a = submit(s, LONG, 0, 3, SAMPLED, false);
            s.step();
            s.step();
            s.step();
            // Joins with a shorter prompt (the batch gets left padding), other settings and other indices.
            Collected b = submit(s, SHORT, 5, 2, greedy, false);
            s.step();
            Collected c = submit(s, SHORT, 0, 4, SAMPLED.withSeed(3), false);
            while (s.step()) {
                // run to the end
            }
            assertEquals(alone(LONG, 0, 3, SAMPLED), a.texts());
            assertEquals(alone(SHORT, 5, 2, greedy), b.texts());
            assertEquals(alone(SHORT, 0, 4, SAMPLED.withSeed(3)), c.texts());
        }
    }

    /**
     * Samples that finish early leave their cache rows vacated (one of eight, then one of seven,
     * below the share that cuts them out), a job joins while a vacated row is there, and a row
     * finishes while the others go on: nobody's text changes, and the decode steps count only
     * live samples.
     */
    @Test
    void samplesFinishingEarlyChangeNothingForTheOthers() {
        List<Integer> widths = new ArrayList<>();
        GenerationListener l = new GenerationListener() {
            @Override
            public void decoded(int tokens, long nanos) {
                widths.add(tokens);
            }
        };
        SamplingParams three = SAMPLED.withMaxTokens(3);
        SamplingParams five = SAMPLED.withSeed(9).withMaxTokens(5);
        try (BatchScheduler s = new BatchScheduler(model, 8, l)) {
            Collected early = submit(s, LONG, 0, 1, three, false);
            Collected rest = submit(s, LONG, 1, 7, SAMPLED, false);
            for (int i = 0; i < 4; i++) {
                s.step();
            }
            assertNotNull(early.completions[0], "the 3-token sample has finished");
            Collected joining = submit(s, SHORT, 0, 1, five, false);
            while (s.step()) {
                // run to the end
            }
            assertEquals(alone(LONG, 0, 1, three), early.texts());
            assertEquals(alone(LONG, 1, 7, SAMPLED), rest.texts());
            assertEquals(alone(SHORT, 0, 1, five), joining.texts());
            assertEquals(8, widths.get(0));
            assertTrue(widths.contains(7), "after the first finished, 7 live rows: " + widths);
            assertTrue(widths.stream().allMatch(w -> w <= 8), widths.toString());
        }
    }

    /** A cancel that cuts rows out while a finished sample's row is still vacated leaves that sample as it ended. */
    @Test
    void aCancelBesideAVacatedRowLeavesTheFinishedSampleAlone() {
        SamplingParams three = SAMPLED.withMaxTokens(3);
        SamplingParams longer = SAMPLED.withMaxTokens(30);
        try (BatchScheduler s = new BatchScheduler(model, 8, GenerationListener.NONE)) {
            Collected early = submit(s, LONG, 0, 1, three, false);
            Collected going = new Collected(0, 2);
            SampleJob job = SampleJob.chat(model.promptTokens(LONG), LONG, 0, 2, longer, going);
            s.submit(job);
            Collected rest = submit(s, SHORT, 0, 5, longer, false);
            for (int i = 0; i < 5; i++) {
                s.step();
            }
            assertNotNull(early.completions[0], "the 3-token sample has finished");
            s.cancel(job, "client went away");
            while (s.step()) {
                // run to the end
            }
            assertFalse(early.completions[0].isError(), String.valueOf(early.completions[0]));
            assertEquals(alone(LONG, 0, 1, three), early.texts());
            for (Completion c : going.completions) {
                assertTrue(c.isError() && c.error().equals("client went away"), String.valueOf(c));
            }
            assertEquals(alone(SHORT, 0, 5, longer), rest.texts());
        }
    }

    @Test
    void aJobBiggerThanTheBatchWaitsForRoomAndIsCutIntoParts() {
        AtomicInteger prefills = new AtomicInteger();
        AtomicInteger widest = new AtomicInteger();
        GenerationListener l = new GenerationListener() {
            @Override
            public void prefilled(int promptTokens, int samples, long nanos) {
                prefills.incrementAndGet();
            }

            @Override
            public void decoded(int tokens, long nanos) {
                widest.accumulateAndGet(tokens, Math::max);
            }
        };
        try (BatchScheduler s = new BatchScheduler(model, 4, l)) {
            Collected a = submit(s, SHORT, 0, 10, SAMPLED, false);
            while (s.step()) {
                // run to the end
            }
            assertEquals(alone(SHORT, 0, 10, SAMPLED), a.texts());
            assertTrue(prefills.get() >= 3, "10 samples in a batch of 4 take at least 3 admissions");
            assertEquals(4, widest.get());
        }
    }

    @Test
    void samePromptAdmittedTogetherIsPrefilledOnce() {
        List<Integer> prefilled = new ArrayList<>();
        GenerationListener l = new GenerationListener() {
            @Override
            public void prefilled(int promptTokens, int samples, long nanos) {
                prefilled.add(promptTokens);
            }
        };
        try (BatchScheduler s = new BatchScheduler(model, 8, l)) {
            submit(s, LONG, 0, 2, SAMPLED, false);
            submit(s, LONG, 2, 3, SAMPLED.withSeed(5), false);
            while (s.step()) {
                // run to the end
            }
        }
        assertEquals(List.of(model.promptTokens(LONG).length), prefilled);
    }

    @Test
    void textDeltasAndTailSpellTheTextEvenWithStopStrings() {
        String full = alone(LONG, 0, 1, SamplingParams.greedy(14)).get(0);
        assertTrue(full.length() > 6, full);
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        SamplingParams stopping = SamplingParams.greedy(14).withStop(List.of(stop));
        try (BatchScheduler s = new BatchScheduler(model, 8, GenerationListener.NONE)) {
            Collected a = submit(s, LONG, 0, 1, stopping, true);
            Collected b = submit(s, SHORT, 0, 3, SAMPLED, true);
            while (s.step()) {
                // run to the end
            }
            Completion cut = a.completions[0];
            assertEquals(FinishReason.STOP, cut.finishReason());
            assertEquals(full.substring(0, full.indexOf(stop)), cut.text());
            assertEquals(cut.text(), a.deltas[0] + a.tails[0]);
            for (int i = 0; i < 3; i++) {
                assertEquals(b.completions[i].text(), b.deltas[i] + b.tails[i]);
                assertFalse(b.events.get(i).isEmpty());
            }
        }
    }

    @Test
    void logprobsOfTheDrawnTokenAndTheMostLikely() {
        try (BatchScheduler s = new BatchScheduler(model, 8, GenerationListener.NONE)) {
            Collected greedy = new Collected(0, 1);
            s.submit(SampleJob.chat(model.promptTokens(SHORT), SHORT, 0, 1, SamplingParams.greedy(6), greedy).withLogprobs(3));
            Collected plain = submit(s, SHORT, 0, 1, SAMPLED, false);
            while (s.step()) {
                // run to the end
            }
            assertFalse(greedy.events.get(0).isEmpty());
            for (TokenEvent e : greedy.events.get(0)) {
                TokenLogprobs lp = e.logprobs();
                assertNotNull(lp);
                assertEquals(3, lp.topIds().length);
                assertEquals(e.token(), lp.topIds()[0], "greedy draws the most likely token");
                assertEquals(lp.topLogprobs()[0], lp.logprob());
                assertTrue(lp.topLogprobs()[0] >= lp.topLogprobs()[1] && lp.topLogprobs()[1] >= lp.topLogprobs()[2]);
                assertTrue(lp.logprob() <= 0);
            }
            plain.events.get(0).forEach(e -> assertNull(e.logprobs()));
        }
    }

    @Test
    void cancelledJobsEndWithAnErrorAndOthersGoOn() {
        SamplingParams longer = SAMPLED.withMaxTokens(30);
        try (BatchScheduler s = new BatchScheduler(model, 8, GenerationListener.NONE)) {
            Collected a = new Collected(0, 2);
            SampleJob job = SampleJob.chat(model.promptTokens(LONG), LONG, 0, 2, longer, a);
            s.submit(job);
            Collected b = submit(s, SHORT, 0, 2, longer, false);
            s.step();
            s.step();
            s.cancel(job, "client went away");
            Collected waiting = new Collected(0, 1);
            SampleJob queued = SampleJob.chat(model.promptTokens(SHORT), SHORT, 0, 1, longer, waiting);
            s.cancel(queued, "never mind");
            s.submit(queued);
            while (s.step()) {
                // run to the end
            }
            for (Completion c : a.completions) {
                assertTrue(c.isError() && c.error().equals("client went away"), String.valueOf(c));
            }
            assertEquals(alone(SHORT, 0, 2, longer), b.texts());
            assertTrue(waiting.completions[0].isError());
            assertEquals(0, s.waiting());
        }
    }
}
