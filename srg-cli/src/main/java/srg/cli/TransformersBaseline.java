package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import srg.UserError;

/**
 * transformers' sampling speed on the same checkpoint, prompt tokens, stream counts and new-token
 * count as {@code srg bench generate}, in F32 and BF16: {@code scripts/transformers_generate.py}
 * run by the parity suite's Python environment ({@link ReferenceVenv}), in its own process after
 * srg's runs, so that the two never share the cores.
 */
final class TransformersBaseline {

    static final String SCRIPT = "scripts/transformers_generate.py";

    /** One measured run: total tokens per second of one generate call, prefill included. */
    record Row(String dtype, int streams, int newTokensPerStream, double seconds, double tokensPerSecond) {}

    /** What the script reports: its versions, threads and rows. */
    record Runs(String versions, int threads, List<Row> rows) {

        /** The row of {@code dtype} at {@code streams}, or null. */
        Row row(String dtype, int streams) {
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
     * The baseline of the checkout at {@code root}; a one-line error that says how to make the
     * Python environment where it is not there yet.
     */
    static TransformersBaseline find(Path root, String flag) {
        Path requirements = root.resolve(ReferenceVenv.REQUIREMENTS);
        Path script = root.resolve(SCRIPT);
        if (!Files.isRegularFile(requirements) || !Files.isRegularFile(script)) {
            throw new UserError(flag + ": " + root.toAbsolutePath().normalize() + " is not an srg checkout (no " + SCRIPT
                    + " or " + ReferenceVenv.REQUIREMENTS + "); run srg through the ./srg launcher of a checkout");
        }
        ReferenceVenv env = ReferenceVenv.of(requirements);
        if (!env.complete()) {
            throw new UserError(flag + ": the parity suite's Python environment (torch, transformers) is not made yet:"
                    + " no complete " + env.folder() + "; make it with `mvn -B verify` (or `mvn -B -pl srg-parity -am"
                    + " verify`, which creates it on the first run), then run this again");
        }
        return new TransformersBaseline(env.python(), script);
    }

    /** Runs transformers on {@code model} with these settings, in each of {@code dtypes} (f32, bf16). */
    Runs run(Path model, long[] promptIds, List<Integer> streams, int newTokens, int threads, List<String> dtypes)
            throws IOException, InterruptedException {
        List<String> command = List.of(python.toString(), script.toString(), "--model", model.toString(),
                "--prompt-ids", Arrays.stream(promptIds).mapToObj(Long::toString).collect(Collectors.joining(",")),
                "--new-tokens", String.valueOf(newTokens),
                "--streams", streams.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--dtypes", String.join(",", dtypes), "--threads", String.valueOf(threads));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("HF_HUB_OFFLINE", "1");
        Process p = pb.start();
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
