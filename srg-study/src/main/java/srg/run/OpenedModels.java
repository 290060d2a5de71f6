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
    private final Console console;

    /** {@code console} hears how each in-process model computes (its matmul format, and why). */
    public OpenedModels(Console console) {
        this.console = console;
    }

    /** Opens {@code spec} through {@link ModelOpener} and keeps it for closing. */
    public ChatModel open(ModelSpec spec) {
        ChatModel model = ModelOpener.open(spec);
        models.add(model);
        String note = ModelOpener.precisionNote(spec);
        if (note != null) {
            console.info(note);
        }
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
