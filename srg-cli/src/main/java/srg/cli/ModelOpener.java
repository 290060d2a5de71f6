package srg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import srg.UserError;
import srg.chat.ChatModel;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.generate.Generator;
import srg.engine.generate.LocalChatModel;
import srg.engine.model.Precision;
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
            case LOCAL -> openLocal(spec);
        };
    }

    /**
     * Opens a Hugging Face checkpoint folder in-process, through srg-engine, as a chat model named
     * {@code spec.id()} in the run store.
     */
    static ChatModel openLocal(ModelSpec spec) {
        return new LocalChatModel(spec.id(), loadLocal(spec), Generator.Options.DEFAULT);
    }

    /**
     * Loads a local model spec: {@code spec.model()} is the folder, {@code ?device=cpu|cuda|cuda:N}
     * the device (default cpu), {@code ?adapter=DIR} a PEFT LoRA adapter merged in memory,
     * {@code ?dtype=f32|bf16|auto} the matmul format (default f32: a run store keys samples by model
     * name, so a model's numerics never change under it unless asked). Every
     * command that runs a local model goes through here, so they all take the same options.
     */
    static LocalModel loadLocal(ModelSpec spec) {
        for (String key : spec.options().keySet()) {
            if (!key.equals("name") && !key.equals("device") && !key.equals("adapter") && !key.equals("dtype")) {
                throw new UserError("model '" + spec.text() + "': unknown option '" + key
                        + "'; local models take name=, device=, adapter= and dtype=");
            }
        }
        Path dir = Path.of(spec.model());
        if (!Files.isDirectory(dir)) {
            throw new UserError("model '" + spec.text() + "': no such folder " + dir
                    + " (a local model is a Hugging Face checkpoint folder; for a server use openai:MODEL@URL)");
        }
        String adapter = spec.option("adapter", null);
        if (adapter != null && !Files.isDirectory(Path.of(adapter))) {
            throw new UserError("model '" + spec.text() + "': adapter=" + adapter + " is not a folder (expected a PEFT adapter: "
                    + "adapter_config.json and adapter_model.safetensors, as srg train writes it)");
        }
        Precision.Choice precision = Precision.choose(spec.option("dtype", "f32"), "model '" + spec.text() + "': dtype");
        try {
            LocalModel lm = adapter == null ? LocalModel.load(dir, Devices.parse(spec.option("device", "cpu")))
                    : LocalModel.load(dir, Path.of(adapter), Devices.parse(spec.option("device", "cpu")));
            lm.transformer().setPrecision(precision.precision());
            if (precision.precision() != Precision.F32) {
                System.err.println("srg: " + spec.id() + ": matmuls in " + precision.describe());
            }
            return lm;
        } catch (IOException e) {
            throw new UserError("model '" + spec.text() + "': cannot load " + dir + " (" + e.getMessage() + ")", e);
        }
    }
}
