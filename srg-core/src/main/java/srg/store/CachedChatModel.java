package srg.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

/**
 * A chat model whose every completion is kept in a {@link RunStore}, keyed by (model id,
 * conversation hash, sampling key, sample index): a sample already stored is read back, never
 * asked for again. A {@code sample} call is stored when it returns, so a killed job that is run
 * again asks again only for the call that was in flight.
 * Failed completions are not kept as answers: they are asked for again.
 *
 * <p>Each call to {@link #sample} stores what it received in one transaction before returning.
 */
public final class CachedChatModel implements ChatModel {

    private final ChatModel inner;
    private final RunStore store;
    private long cached;
    private long drawn;
    private long failed;

    /** Refuses at once (a user error) if {@code store} holds {@code inner}'s samples computed in another number format. */
    public CachedChatModel(ChatModel inner, RunStore store) {
        this.inner = inner;
        this.store = store;
        store.claimNumerics(inner.id(), inner.numerics());
    }

    @Override
    public String numerics() {
        return inner.numerics();
    }

    @Override
    public String id() {
        return inner.id();
    }

    /** Samples answered from the store so far. */
    public long cachedSamples() {
        return cached;
    }

    /** Samples asked of the model so far. */
    public long drawnSamples() {
        return drawn;
    }

    /** Of the samples asked of the model, those that failed. */
    public long failedSamples() {
        return failed;
    }

    @Override
    public List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        String sampling = params.key();
        List<Completion[]> out = new ArrayList<>(requests.size());
        List<SampleRequest> missing = new ArrayList<>();
        List<int[]> missingAt = new ArrayList<>(); // {request position, offset of the run in it}
        for (int r = 0; r < requests.size(); r++) {
            SampleRequest req = requests.get(r);
            String hash = req.conversation().sha256();
            List<Integer> indices = new ArrayList<>(req.count());
            for (int i = 0; i < req.count(); i++) {
                indices.add(req.firstIndex() + i);
            }
            Map<Integer, Completion> stored = store.completions(inner.id(), hash, sampling, indices);
            Completion[] got = new Completion[req.count()];
            for (int i = 0; i < req.count(); i++) {
                Completion c = stored.get(req.firstIndex() + i);
                if (c != null && !c.isError()) {
                    got[i] = c;
                    cached++;
                }
            }
            // One request per run of missing indices keeps each sample's seed (derived from its index).
            for (int i = 0; i < req.count(); i++) {
                if (got[i] == null) {
                    int j = i;
                    while (j < req.count() && got[j] == null) {
                        j++;
                    }
                    missing.add(new SampleRequest(req.conversation(), req.firstIndex() + i, j - i));
                    missingAt.add(new int[] {r, i});
                    i = j - 1;
                }
            }
            out.add(got);
        }
        if (!missing.isEmpty()) {
            List<List<Completion>> fresh = inner.sample(missing, params);
            List<RunStore.Sample> rows = new ArrayList<>();
            for (int m = 0; m < missing.size(); m++) {
                SampleRequest req = missing.get(m);
                List<Completion> got = fresh.get(m);
                if (got.size() != req.count()) {
                    throw new IllegalStateException(inner.id() + " returned " + got.size() + " samples where " + req.count() + " were asked");
                }
                String hash = req.conversation().sha256();
                for (int i = 0; i < got.size(); i++) {
                    Completion c = got.get(i);
                    out.get(missingAt.get(m)[0])[missingAt.get(m)[1] + i] = c;
                    rows.add(new RunStore.Sample(inner.id(), hash, sampling, req.firstIndex() + i, c));
                    drawn++;
                    failed += c.isError() ? 1 : 0;
                }
            }
            store.putSamples(rows);
        }
        return out.stream().map(List::of).toList();
    }

    @Override
    public void close() {
        inner.close();
    }
}
