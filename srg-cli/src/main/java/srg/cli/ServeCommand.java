package srg.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.chat.ThinkTags;
import srg.engine.generate.GenerationListener;
import srg.model.ModelSpec;
import srg.serve.OpenAiServer;
import srg.serve.ServedModels;
import srg.run.ModelOpener;

/** {@code srg serve}: local checkpoints behind an OpenAI-compatible HTTP API. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Serve local checkpoints (srg-trained ones, adapters, SafetyWorld models) with the OpenAI",
            "chat-completions API, for garak, promptfoo, PyRIT, the openai client, or srg eval itself",
            "(--model openai:NAME@http://HOST:PORT/v1).",
            "",
            "Endpoints: POST /v1/chat/completions (n, temperature, top_p, top_k, max_tokens, stop, seed,",
            "stream, logprobs/top_logprobs, chat_template_kwargs; usage), GET /v1/models, GET /health.",
            "Requests that arrive while a batch decodes join it at the next step (continuous batching).",
            "A request's seed gives the samples srg generate --seed gives; requests from srg eval get",
            "the samples an in-process srg eval draws.",
            "",
            "SIGTERM or Ctrl-C: new requests get 503, requests in flight get --shutdown-grace seconds to",
            "finish and are then ended with an error; then the server exits.",
        },
        footer = {
            "",
            "Model SPEC: a local checkpoint folder, as for srg eval:",
            "  PATH or local:PATH[?device=cpu|cuda|cuda:N][&adapter=LORA_DIR][&name=NAME]",
            "  Served under NAME (default: the folder's name, or FOLDER+ADAPTER with an adapter).",
            "",
            "Examples:",
            "  srg serve --model runs/quickstart/models/srg --model runs/quickstart/models/rt --port 8000",
            "  srg eval --model openai:srg@http://127.0.0.1:8000/v1 --dataset harmful.jsonl --n 32 --out runs/x",
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "A local checkpoint to serve (repeatable).")
    List<String> models;

    @Option(names = "--port", defaultValue = "8000", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--reasoning-parser", paramLabel = "think",
            description = "think: return the text inside <think>...</think> as reasoning_content, as vLLM does.")
    String reasoningParser;

    @Option(names = "--think-tags", defaultValue = "<think>,</think>", paramLabel = "OPEN,CLOSE",
            description = "The tags the reasoning parser looks for (default: ${DEFAULT-VALUE}).")
    String thinkTags;

    @Option(names = "--max-batch", defaultValue = "32", description = "Most samples decoded together per model (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-queue", defaultValue = "256",
            description = "Requests per model that may wait for room in the batch; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--api-key-env", defaultValue = "SRG_API_KEY", paramLabel = "VAR",
            description = "Environment variable holding the bearer key clients must send; when it is unset, no key is "
                    + "needed (default: ${DEFAULT-VALUE}).")
    String apiKeyEnv;

    @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long requests in flight may run on after SIGTERM (default: ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UserError("--port must be in [0, 65535], got " + port);
        }
        if (maxBatch < 1 || maxQueue < 1 || shutdownGrace < 0) {
            throw new UserError("--max-batch and --max-queue must be >= 1 and --shutdown-grace >= 0");
        }
        ThinkTags tags = null;
        if (reasoningParser != null) {
            if (!reasoningParser.equals("think")) {
                throw new UserError("--reasoning-parser: unknown parser '" + reasoningParser + "' (known: think)");
            }
            tags = ThinkTags.parse(thinkTags);
        }
        String apiKey = System.getenv(apiKeyEnv);
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
        List<ServedModels.Entry> entries = entries();
        ServedModels served = new ServedModels(entries, maxBatch, GenerationListener.NONE, ServeCommand::log);
        OpenAiServer server;
        try {
            server = OpenAiServer.start(new OpenAiServer.Options(host, port, apiKey, maxQueue, tags, ServeCommand::log), served);
        } catch (BindException e) {
            served.close();
            throw new UserError("--host " + host + " --port " + port + ": cannot listen there (" + e.getMessage() + ")");
        } catch (IOException e) {
            served.close();
            throw new UserError("--host " + host + ": cannot listen (" + e.getMessage() + ")", e);
        }
        served.load();
        Duration grace = Duration.ofSeconds(shutdownGrace);
        Thread hook = new Thread(() -> {
            log("shutting down (requests in flight get " + grace.toSeconds() + " s)");
            server.shutdown(grace);
        }, "srg-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "srg serve: listening on %s (models: %s%s)%n", server.baseUrl(),
                String.join(", ", served.names()), apiKey == null ? "" : "; bearer key from $" + apiKeyEnv);
        out.flush();
        try {
            served.ready().join();
        } catch (CompletionException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.shutdown(Duration.ZERO);
            Throwable cause = e.getCause();
            if (cause instanceof UserError u) {
                throw u;
            }
            throw new UserError("a model failed to load: " + cause, cause);
        }
        server.awaitStopped();
        return 0;
    }

    /** What the server says about its models and requests, on stderr. */
    static void log(String line) {
        System.err.println("srg serve: " + line);
    }

    /** The models to serve, checked before anything loads: local folders with distinct names. */
    private List<ServedModels.Entry> entries() {
        List<ServedModels.Entry> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String text : models) {
            ModelSpec m = ModelSpec.parse(text);
            if (m.kind() != ModelSpec.Kind.LOCAL) {
                throw new UserError("--model " + text + ": srg serve serves local checkpoint folders; "
                        + m.kind().name().toLowerCase(Locale.ROOT) + ": models are served elsewhere");
            }
            if (!Files.isDirectory(Path.of(m.model()))) {
                throw new UserError("--model " + text + ": no such folder " + m.model());
            }
            String adapter = m.option("adapter", null);
            if (adapter != null && !Files.isDirectory(Path.of(adapter))) {
                throw new UserError("--model " + text + ": adapter=" + adapter + " is not a folder");
            }
            if (names.contains(m.id())) {
                throw new UserError("--model: two models are named " + m.id() + "; give one ?name=NAME");
            }
            names.add(m.id());
            String dtype = ModelOpener.precisionNote(m); // checks dtype= before anything loads
            if (dtype != null) {
                log(dtype);
            }
            out.add(new ServedModels.Entry(m.id(), () -> ModelOpener.loadLocal(m)));
        }
        return out;
    }
}
