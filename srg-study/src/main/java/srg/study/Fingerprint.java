package srg.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import srg.UserError;
import srg.io.ContentHash;

/**
 * A stage's fingerprint: the SHA-256 of its inputs (settings, file contents, upstream
 * fingerprints), each part followed by a zero byte. Parts are texts without zero bytes (JSON,
 * hashes), so the framing is unambiguous; it is the framing srg quickstart keyed its models with
 * before studies, so a pretrained SafetyWorld base keeps its fingerprint.
 */
public final class Fingerprint {

    /** The file in a stage's folder that holds the fingerprint of the inputs it was made from. */
    public static final String FILE = "study-fingerprint.txt";

    private Fingerprint() {}

    public static String of(List<String> parts) {
        MessageDigest digest = ContentHash.newDigest();
        for (String p : parts) {
            digest.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The fingerprint recorded in {@code dir}, or null. */
    public static String readFrom(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
    }

    /** The content hash of a file the study reads; a missing file is a user error naming it. */
    public static String file(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        try {
            return ContentHash.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What identifies a model folder given by path, cheaply for multi-gigabyte weights: each file's
     * name, size and modification time. Copying the folder elsewhere keeps it; changing a file does not.
     */
    public static String folder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such folder");
        }
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                s.append(dir.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ContentHash.ofText(s.toString());
    }
}
