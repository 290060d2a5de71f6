package srg.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import srg.SettingError;
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

/** Turns a {@link ModelSpec} into a {@link ChatModel}: the one place where srg picks a backend. */
public final class ModelOpener {

    private static final java.util.Set<String> LOCAL_KEYS = java.util.Set.of("name", "device", "adapter", "batch", "dtype");

    private ModelOpener() {}

    public static ChatModel open(ModelSpec spec) {
        return switch (spec.kind()) {
            case OPENAI -> new OpenAiChatModel(OpenAiChatModel.Config.from(spec, System.getenv()));
            case SIM -> SimulatedChatModel.from(spec);
            case LOCAL -> openLocal(spec);
        };
    }

    /**
     * Opens a Hugging Face checkpoint folder in-process, through srg-engine, as a chat model named
     * {@code spec.id()} in the run store; {@code ?batch=N} decodes up to N sequences together.
     */
    public static ChatModel openLocal(ModelSpec spec) {
        Generator.Options options = new Generator.Options(spec.intOption("batch", Generator.Options.DEFAULT.maxBatch(), 1));
        return new LocalChatModel(spec.id(), loadLocal(spec), options);
    }

    /**
     * The matmul format of a local model spec: {@code ?dtype=f32|bf16|auto}, auto when not given
     * (BF16 where the CPU has it). A run store records each model's format and refuses to mix two.
     */
    public static Precision.Choice precision(ModelSpec spec) {
        try {
            return Precision.choose(spec.option("dtype", null), "dtype");
        } catch (SettingError e) {
            throw e.renamed(setting -> "model '" + spec.text() + "': " + setting);
        }
    }

    /**
     * The line that says how a local model spec computes, for the run's console; null for a
     * model that is not in-process (its numbers are not ours to choose).
     */
    public static String precisionNote(ModelSpec spec) {
        return spec.kind() != ModelSpec.Kind.LOCAL ? null : spec.id() + ": matmuls in " + precision(spec).describe();
    }

    /**
     * Loads a local model spec: {@code spec.model()} is the folder, {@code ?device=cpu|cuda|cuda:N}
     * the device (default cpu), {@code ?adapter=DIR} a PEFT LoRA adapter merged in memory,
     * {@code ?dtype=f32|bf16|auto} the matmul format ({@link #precision}). Every
     * command that runs a local model goes through here, so they all take the same options.
     */
    public static LocalModel loadLocal(ModelSpec spec) {
        for (String key : spec.options().keySet()) {
            if (!LOCAL_KEYS.contains(key)) {
                throw new UserError("model '" + spec.text() + "': unknown option '" + key
                        + "'; local models take name=, device=, adapter=, batch= and dtype=");
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
                    + "adapter_config.json and adapter_model.safetensors, as LoRA training writes it)");
        }
        Precision precision = precision(spec).precision();
        try {
            LocalModel lm = adapter == null ? LocalModel.load(dir, Devices.parse(spec.option("device", "cpu")))
                    : LocalModel.load(dir, Path.of(adapter), Devices.parse(spec.option("device", "cpu")));
            lm.transformer().setPrecision(precision);
            return lm;
        } catch (IOException e) {
            throw new UserError("model '" + spec.text() + "': cannot load " + dir + " (" + e.getMessage() + ")", e);
        }
    }
}
