package srg.engine.generate;

import java.util.List;
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
    private volatile GenerationListener listener = GenerationListener.NONE;

    public LocalChatModel(String id, LocalModel model, Generator.Options options) {
        this.id = id;
        this.model = model;
        this.generator = new Generator(model, options);
    }

    @Override
    public String id() {
        return id;
    }

    /** The transformer's matmul format as it is now: f32 or bf16. */
    @Override
    public String numerics() {
        return model.transformer().precision().setting();
    }

    public LocalModel model() {
        return model;
    }

    /** Hears prefills, decode steps and finished samples (for progress bars). */
    public void listen(GenerationListener l) {
        this.listener = l == null ? GenerationListener.NONE : l;
    }

    @Override
    public synchronized List<List<Completion>> sample(List<SampleRequest> requests, SamplingParams params) {
        return generator.generate(requests, params, listener);
    }

    @Override
    public void close() {
        model.close();
    }
}
