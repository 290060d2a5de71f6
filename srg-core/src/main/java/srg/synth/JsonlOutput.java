package srg.synth;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import srg.io.AtomicFiles;

/**
 * A JSONL file written line by line into a hidden sibling and moved over the target only by
 * {@link #commit()}: a killed run leaves the previous file (or none), never a torn one.
 */
final class JsonlOutput implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final BufferedWriter writer;
    private long lines;
    private boolean committed;

    JsonlOutput(Path target) {
        this.target = target;
        try {
            this.temp = AtomicFiles.temporarySibling(target);
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write next to " + target, e);
        }
    }

    void write(JsonNode line) {
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.write('\n');
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    long lines() {
        return lines;
    }

    /** Flushes, fsyncs and renames the file into place. */
    void commit() {
        try {
            writer.flush();
            channel.force(true);
            writer.close();
            AtomicFiles.moveIntoPlace(temp, target);
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                writer.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // The temporary file is hidden and harmless; the original failure matters more.
            }
        }
    }
}
