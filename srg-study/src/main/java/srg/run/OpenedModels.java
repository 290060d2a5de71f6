package srg.run;

import java.util.ArrayList;
import java.util.List;
import srg.chat.ChatModel;
import srg.model.ModelSpec;

/**
 * The models one command opened (targets, helpers, judge models), closed together when it ends:
 * a local model holds its weights in native memory until closed.
 */
public final class OpenedModels implements AutoCloseable {

    private final List<ChatModel> models = new ArrayList<>();

    /** Opens {@code spec} through {@link ModelOpener} and keeps it for closing. */
    public ChatModel open(ModelSpec spec) {
        ChatModel model = ModelOpener.open(spec);
        models.add(model);
        return model;
    }

    public ChatModel open(String spec) {
        return open(ModelSpec.parse(spec));
    }

    @Override
    public void close() {
        models.forEach(ChatModel::close);
    }
}
