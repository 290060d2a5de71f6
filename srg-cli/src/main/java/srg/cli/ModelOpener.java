package srg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import srg.UserError;
import srg.chat.ChatModel;
import srg.model.ModelSpec;
import srg.model.OpenAiChatModel;
import srg.model.SimulatedChatModel;

/** Turns a {@link ModelSpec} into a {@link ChatModel}: the one place where the CLI picks a backend. */
final class ModelOpener {

    private ModelOpener() {}

    static ChatModel open(ModelSpec spec) {
        return switch (spec.kind()) {
            case OPENAI -> new OpenAiChatModel(OpenAiChatModel.Config.from(spec, System.getenv()));
            case SIM -> SimulatedChatModel.from(spec);
            case LOCAL -> {
                if (!Files.isDirectory(Path.of(spec.model()))) {
                    throw new UserError("model '" + spec.text() + "': no such folder " + spec.model()
                            + " (a local model is a Hugging Face checkpoint folder; for a server use openai:MODEL@URL)");
                }
                yield openLocal(spec);
            }
        };
    }

    /**
     * Opens a Hugging Face checkpoint folder in-process, through srg-engine.
     *
     * <p>NOT WIRED YET: the in-process engine is being written in parallel; this method is the
     * single hook where it plugs in (spec.model() is the folder, spec.options() the engine's
     * {@code ?key=value} options, spec.id() the model's name in the run store).
     */
    static ChatModel openLocal(ModelSpec spec) {
        throw new UserError("model '" + spec.text() + "': in-process models (Hugging Face folders) are not wired into this build yet; "
                + "serve the checkpoint with an OpenAI-compatible server (vLLM, llama.cpp) and pass openai:MODEL@URL");
    }
}
