package srg.engine.generate;

import java.util.List;
import java.util.function.IntConsumer;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;

/** A Hugging Face checkpoint run in-process, as a {@link ChatModel}. */
public final class LocalChatModel implements ChatModel {

    private final String id;
    private final LocalModel model;
    private final Generator generator;
    private volatile IntConsumer progress = n -> { };

    public LocalChatModel(String id, LocalModel model, Generator.Options options) {
        this.id = id;
        this.model = model;
        this.generator = new Generator(model, options);
    }

    @Override
    public String id() {
        return id;
    }

    public LocalModel model() {
        return model;
    }

    /** Hears the number of tokens produced by each decode step (for progress bars). */
    public void onTokens(IntConsumer listener) {
        this.progress = listener == null ? n -> { } : listener;
    }

    @Override
    public synchronized List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        return generator.generate(requests, params, progress);
    }

    @Override
    public void close() {
        model.close();
    }
}
