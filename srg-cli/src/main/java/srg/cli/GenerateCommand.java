package srg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SamplingParams;
import srg.engine.Devices;
import srg.engine.LocalModel;
import srg.engine.generate.Generator;
import srg.engine.generate.LocalChatModel;
import srg.engine.model.Precision;

/** {@code srg generate}: sample responses from a local checkpoint. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sample responses to one prompt from a local Hugging Face checkpoint.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Hugging Face model folder.")
    Path model;

    @Option(names = "--adapter", description = "PEFT LoRA adapter folder to apply to --model (merged in memory; the model folder is not changed).")
    Path adapter;

    @Option(names = "--prompt", required = true, description = "The user message.")
    String prompt;

    @Option(names = "--system", description = "Optional system message.")
    String system;

    @Option(names = "--n", defaultValue = "1", description = "Samples to draw. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--temperature", defaultValue = "0.7", description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus mass. Default: ${DEFAULT-VALUE}.")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "0 disables. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--stop", split = ",", description = "Stop strings (comma-separated).")
    List<String> stop;

    @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Mixin
    DtypeOption dtype;

    @Option(names = "--json", description = "One JSON object per sample and line: index, text, finish_reason, token counts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SamplingParams params = SamplingParams.checked(temperature, topP, topK, maxTokens, stop, seed);
        if (n < 1) {
            throw new srg.UserError("--n must be at least 1");
        }
        Precision.Choice precision = dtype.choose();
        LocalModel local = LocalModel.load(model, adapter, Devices.parse(device));
        try (LocalChatModel chat = new LocalChatModel(model.getFileName().toString(), local, Generator.Options.DEFAULT)) {
            dtype.apply(precision, local, System.err);
            List<Completion> samples = chat.sample(List.of(Conversation.of(system, prompt)), params, n).get(0);
            ObjectMapper mapper = new ObjectMapper();
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < samples.size(); i++) {
                Completion c = samples.get(i);
                if (json) {
                    ObjectNode o = mapper.createObjectNode();
                    o.put("index", i);
                    o.put("text", c.text());
                    o.put("finish_reason", c.finishReason().wireName());
                    o.put("prompt_tokens", c.promptTokens());
                    o.put("completion_tokens", c.completionTokens());
                    if (c.isError()) {
                        o.put("error", c.error());
                    }
                    out.println(mapper.writeValueAsString(o));
                } else {
                    if (n > 1) {
                        out.println("--- sample " + i + " (" + c.finishReason().wireName() + ", "
                                + c.completionTokens() + " tokens)");
                    }
                    out.println(c.isError() ? "error: " + c.error() : c.text());
                }
            }
        }
        return 0;
    }
}
