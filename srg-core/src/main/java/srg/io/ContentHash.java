package srg.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import srg.UserError;

/**
 * SHA-256 content hashes, in hex, the one place srg computes them: over a sequence of strings,
 * each length-prefixed so that ("ab", "c") and ("a", "bc") differ (conversations in the run
 * store, guideline and query sets in provenance); over a text, bytes or a file as they are
 * (datasets in results.json, label files, model files); over a folder, for cache keys. Callers
 * that frame numbers of their own (token ids, seeds) start from {@link #newDigest()}.
 */
public final class ContentHash {

    private ContentHash() {}

    public static String of(Iterable<String> parts) {
        MessageDigest digest = newDigest();
        for (String s : parts) {
            update(digest, s.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of a text's UTF-8 bytes. */
    public static String ofText(String text) {
        return ofBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String ofBytes(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** The hash of a file's bytes as they are, read as a stream (a dataset may be large). */
    public static String ofFile(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The hash of a file's bytes, or of a folder's regular files (their relative names and bytes,
     * in name order): a key that changes when the content changes, wherever it lives.
     */
    public static String ofPath(Path path) {
        MessageDigest digest = newDigest();
        try {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else {
                files.add(path);
            }
            for (Path f : files) {
                update(digest, path.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                update(digest, Files.readAllBytes(f));
            }
        } catch (NoSuchFileException e) {
            throw new UserError(path + ": no such file or folder");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    /** A fresh SHA-256 digest, for bytes the caller frames itself. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }
}
