package srg.probe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import srg.UserError;
import srg.io.AtomicFiles;
import srg.io.Utf8File;

/** Reads and writes {@code probe.json}, whose schema is {@link ProbeResults}. */
public final class ProbeJson {

    /** The file name in a run folder. */
    public static final String FILE = "probe.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProbeJson() {}

    public static void write(Path file, ProbeResults results) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(results) + "\n");
    }

    public static ProbeResults read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no such file: " + file);
        }
        try {
            return JSON.readValue(Utf8File.open(file), ProbeResults.class);
        } catch (IOException e) {
            throw new UserError(file + ": not a probe.json (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    /** The Jackson mapper probe files use, for callers that embed the figures elsewhere. */
    static ObjectMapper mapper() {
        return JSON;
    }
}
