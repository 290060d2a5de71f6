package srg.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import srg.UserError;

/**
 * Reads a text file as UTF-8, strictly. Bytes that are not UTF-8 stop the read with a
 * {@link UserError} that names the file, the line and the column and shows the byte, where the
 * JDK's own readers say only "Input length = 1" and name nothing. Every srg reader of a text file
 * (datasets, SFT data, corpora, guidelines, templates, word lists, chat templates, its own logs)
 * goes through here, so the message is the same everywhere.
 *
 * <p>It decodes by itself rather than wrapping an {@code InputStreamReader}, because only the
 * decoder knows where the bad byte is: every character it has produced so far precedes it, so
 * counting their line breaks gives the line.
 */
public final class Utf8File extends Reader {

    private final Path file;
    private final FileChannel channel;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
    private boolean endOfInput;
    private boolean flushed;
    private long line = 1;
    private long column = 1;

    private Utf8File(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** A buffered reader of the file's text; a missing file throws {@code NoSuchFileException}. */
    public static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new Utf8File(file), 1 << 16);
    }

    /** The file's whole text. */
    public static String read(Path file) throws IOException {
        try (Reader in = new Utf8File(file)) {
            StringWriter out = new StringWriter();
            in.transferTo(out);
            return out.toString();
        }
    }

    /** The file's lines, without their line breaks. */
    public static List<String> lines(Path file) throws IOException {
        try (BufferedReader in = open(file)) {
            return in.lines().toList();
        }
    }

    @Override
    public int read(char[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (flushed) {
                return -1;
            }
            decodeMore();
        }
        int n = Math.min(length, chars.remaining());
        chars.get(into, offset, n);
        return n;
    }

    /** Decodes the next characters into {@code chars}, reading bytes as needed. */
    private void decodeMore() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (!endOfInput && !bytes.hasRemaining()) {
                    bytes.clear();
                    endOfInput = channel.read(bytes) < 0;
                    bytes.flip();
                }
                int before = chars.position();
                CoderResult result = decoder.decode(bytes, chars, endOfInput);
                count(before);
                if (result.isError()) {
                    throw notUtf8(result.length());
                }
                if (endOfInput && result.isUnderflow()) {
                    decoder.flush(chars);
                    flushed = true;
                    return;
                }
                if (result.isUnderflow() && bytes.hasRemaining()) {
                    // a character cut at the end of the buffer: keep its bytes, read on after them
                    bytes.compact();
                    endOfInput = channel.read(bytes) < 0;
                    bytes.flip();
                }
            }
        } finally {
            chars.flip();
        }
    }

    /** Advances the line and column over the characters decoded from {@code from} on. */
    private void count(int from) {
        for (int i = from; i < chars.position(); i++) {
            if (chars.get(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    private UserError notUtf8(int badLength) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < badLength && bytes.position() + i < bytes.limit(); i++) {
            shown.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes.get(bytes.position() + i) & 0xff));
        }
        return new UserError(file + ":" + line + ": not UTF-8 text (byte " + shown + " at column " + column
                + "); save the file as UTF-8");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
