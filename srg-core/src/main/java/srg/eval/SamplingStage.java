package srg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.store.RunStore;
import srg.store.RunStore.SampleState;

/**
 * Stage 2 of Best-of-N: sampling. Draws the samples of each prompt that the run store does not
 * hold yet (or holds as failed), a batch per model call, and stores each batch in one transaction,
 * so a killed run loses at most the batch in flight.
 */
final class SamplingStage {

    private final StageContext ctx;

    SamplingStage(StageContext ctx) {
        this.ctx = ctx;
    }

    /** Draws every missing (or failed) sample with index below n. */
    void sample(ChatModel model, List<EvalPrompt> prompts, int n, String stageName) {
        // Even when every sample is stored: results must not report one format's samples as another's.
        ctx.store().claimNumerics(model.id(), model.numerics());
        Map<String, List<SampleState>> states = ctx.store().states(model.id(), ctx.samplingKey(), "");
        List<SampleRequest> requests = new ArrayList<>();
        for (var e : EvalPrompt.byConversation(prompts).entrySet()) {
            boolean[] have = new boolean[n];
            for (SampleState s : states.getOrDefault(e.getKey(), List.of())) {
                if (s.index() < n && !s.error()) {
                    have[s.index()] = true;
                }
            }
            // One request per run of missing indices, so that a resumed run asks for exactly what is missing.
            for (int i = 0; i < n; i++) {
                if (!have[i]) {
                    int j = i;
                    while (j < n && !have[j] && j - i < ctx.config().batchSamples()) {
                        j++;
                    }
                    requests.add(new SampleRequest(e.getValue().prompt().conversation(), i, j - i));
                    i = j - 1;
                }
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        long total = requests.stream().mapToLong(SampleRequest::count).sum();
        long errors = 0;
        try (EvalProgress.Stage stage = ctx.progress().stage(stageName, total)) {
            List<SampleRequest> batch = new ArrayList<>();
            int batchSize = 0;
            for (int i = 0; i <= requests.size(); i++) {
                SampleRequest r = i < requests.size() ? requests.get(i) : null;
                if (r == null || batchSize + r.count() > ctx.config().batchSamples() && !batch.isEmpty()) {
                    errors += drawAndStore(model, batch).stream().filter(x -> x.completion().isError()).count();
                    stage.step(batchSize);
                    batch.clear();
                    batchSize = 0;
                }
                if (r != null) {
                    batch.add(r);
                    batchSize += r.count();
                }
            }
        }
        if (errors > 0) {
            ctx.warn().accept(stageName + ": " + errors + " of " + total
                    + " samples failed; they are left out of every denominator and retried when the run is resumed");
        }
    }

    /** Samples one batch and stores it in one transaction; returns the stored samples, in request order. */
    List<RunStore.Sample> drawAndStore(ChatModel model, List<SampleRequest> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<List<Completion>> results = model.sample(batch, ctx.config().sampling());
        if (results.size() != batch.size()) {
            throw new IllegalStateException(model.id() + " returned " + results.size() + " results for " + batch.size() + " requests");
        }
        List<RunStore.Sample> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            SampleRequest r = batch.get(i);
            List<Completion> got = results.get(i);
            if (got.size() != r.count()) {
                throw new IllegalStateException(model.id() + " returned " + got.size() + " samples where " + r.count() + " were asked");
            }
            String hash = r.conversation().sha256();
            for (int j = 0; j < got.size(); j++) {
                rows.add(new RunStore.Sample(model.id(), hash, ctx.samplingKey(), r.firstIndex() + j, got.get(j)));
            }
        }
        ctx.store().putSamples(rows);
        return rows;
    }
}
