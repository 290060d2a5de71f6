package srg.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import srg.io.AtomicFiles;
import srg.io.Utf8File;

/**
 * {@code train_log.jsonl}: one JSON object per optimizer step (step, epoch, loss, lr, grad_norm,
 * tokens, tokens_per_s, elapsed_s) and one per evaluation (step, eval_loss). Lines are flushed as
 * they are written; on resume, lines after the checkpoint's step are dropped so that the log
 * reads as one uninterrupted run.
 */
public final class TrainLog implements AutoCloseable {

    public static final String FILE = "train_log.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private TrainLog(BufferedWriter out) {
        this.out = out;
    }

    /** Starts a new log, or continues one from {@code keepThroughStep} (resume). */
    public static TrainLog open(Path runDir, Integer keepThroughStep) throws IOException {
        Path file = runDir.resolve(FILE);
        Files.createDirectories(runDir);
        if (keepThroughStep == null) {
            AtomicFiles.writeString(file, "");
        } else if (Files.exists(file)) {
            StringBuilder kept = new StringBuilder();
            List<String> lines = Utf8File.lines(file);
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.path("step").asInt(Integer.MAX_VALUE) <= keepThroughStep) {
                        kept.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // a line torn by a crash: drop it
                }
            }
            AtomicFiles.writeString(file, kept.toString());
        }
        return new TrainLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    public void write(ObjectNode line) throws IOException {
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
        out.flush();
    }

    public static ObjectNode line() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
