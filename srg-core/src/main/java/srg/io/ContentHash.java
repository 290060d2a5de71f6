package srg.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import srg.UserError;

/**
 * SHA-256 over a sequence of strings, each length-prefixed so that ("ab", "c") and ("a", "bc")
 * differ: the identity of a guideline set and of a query set in provenance and summaries, and of
 * input files in cache keys.
 */
public final class ContentHash {

    private ContentHash() {}

    public static String of(Iterable<String> parts) {
        MessageDigest digest = sha256();
        for (String s : parts) {
            update(digest, s.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The hash of a file's bytes, or of a folder's regular files (their relative names and bytes,
     * in name order): a key that changes when the content changes, wherever it lives.
     */
    public static String ofPath(Path path) {
        MessageDigest digest = sha256();
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }
}
