package srg.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import srg.SettingError;

/**
 * transformers' sampling speed on the same checkpoint, prompt tokens, stream counts and new-token
 * count as {@link GenerationBenchmark}, in F32 and BF16: {@code scripts/transformers_generate.py}
 * run by the parity suite's Python environment ({@link ReferenceVenv}), in its own process after
 * srg's runs, so that the two never share the cores. The settings go to the script as one JSON
 * object on its stdin; it answers with one JSON object per line on stdout.
 */
public final class TransformersBaseline {

    public static final String SCRIPT = "scripts/transformers_generate.py";

    /** One measured run: total tokens per second of one generate call, prefill included. */
    public record Row(String dtype, int streams, int newTokensPerStream, double seconds, double tokensPerSecond) {}

    /** What the script reports: its versions, threads and rows. */
    public record Runs(String versions, int threads, List<Row> rows) {

        /** The row of {@code dtype} at {@code streams}, or null. */
        public Row row(String dtype, int streams) {
            return rows.stream().filter(r -> r.dtype().equals(dtype) && r.streams() == streams).findFirst().orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path script;

    private TransformersBaseline(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    /**
     * The baseline of the checkout at {@code root}; a one-line error about {@code setting} (the
     * setting that asked for the comparison) that says how to make the Python environment where
     * it is not there yet.
     */
    public static TransformersBaseline find(Path root, String setting) {
        Path requirements = root.resolve(ReferenceVenv.REQUIREMENTS);
        Path script = root.resolve(SCRIPT);
        if (!Files.isRegularFile(requirements) || !Files.isRegularFile(script)) {
            throw SettingError.of(setting, root.toAbsolutePath().normalize() + " is not an srg checkout (no " + SCRIPT
                    + " or " + ReferenceVenv.REQUIREMENTS + "); run srg through the ./srg launcher of a checkout");
        }
        ReferenceVenv env = ReferenceVenv.of(requirements);
        if (!env.complete()) {
            throw SettingError.of(setting, "the parity suite's Python environment (torch, transformers) is not made yet:"
                    + " no complete " + env.folder() + "; make it with `mvn -B verify` (or `mvn -B -pl srg-parity -am"
                    + " verify`, which creates it on the first run), then run this again");
        }
        return new TransformersBaseline(env.python(), script);
    }

    /** Runs transformers on {@code model} with these settings, in each of {@code dtypes} (f32, bf16). */
    public Runs run(Path model, long[] promptIds, List<Integer> streams, int newTokens, int threads, List<String> dtypes)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("model", model.toString()).put("new_tokens", newTokens)
                .put("threads", threads);
        ArrayNode ids = request.putArray("prompt_ids");
        for (long id : promptIds) {
            ids.add(id);
        }
        ArrayNode streamCounts = request.putArray("streams");
        streams.forEach(streamCounts::add);
        ArrayNode dtypeNames = request.putArray("dtypes");
        dtypes.forEach(dtypeNames::add);
        ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("HF_HUB_OFFLINE", "1");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            JSON.writeValue(in, request);
        }
        String versions = "";
        int usedThreads = 0;
        List<Row> rows = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                JsonNode o = line.startsWith("{") ? JSON.readTree(line) : null;
                if (o == null) {
                    other.add(line);
                } else if (o.has("versions")) {
                    versions = "torch " + o.at("/versions/torch").asText() + ", transformers "
                            + o.at("/versions/transformers").asText();
                    usedThreads = o.path("threads").asInt();
                } else {
                    rows.add(new Row(o.get("dtype").asText(), o.get("streams").asInt(), o.get("new_tokens").asInt(),
                            o.get("seconds").asDouble(), o.get("tokens_per_second").asDouble()));
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(script + " failed (exit " + exit + ")" + (other.isEmpty() ? "" : ": "
                    + String.join(" / ", other)) + "; its stderr is above");
        }
        return new Runs(versions, usedThreads, rows);
    }
}
