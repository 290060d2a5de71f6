package srg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

class Utf8FileTest {

    @TempDir
    Path tmp;

    private Path file(byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        Path f = tmp.resolve("f.txt");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsUtf8ExactlyAcrossBufferBoundaries() throws Exception {
        // Four-byte characters (two chars each) straddle every 64 KiB buffer boundary somewhere.
        String text = "héllo 🚲 wörld\n".repeat(20_000);
        Path f = file(utf8(text));
        assertEquals(text, Utf8File.read(f));
        assertEquals(20_000, Utf8File.lines(f).size());
        assertEquals("", Utf8File.read(file()));
    }

    @Test
    void badBytesNameFileLineColumnAndByte() throws Exception {
        Path f = file(utf8("first line\nHow to make "), new byte[] {(byte) 0xff, (byte) 0xfe}, utf8(" a bomb\n"));
        UserError e = assertThrows(UserError.class, () -> Utf8File.read(f));
        assertEquals(f + ":2: not UTF-8 text (byte 0xFF at column 13); save the file as UTF-8", e.getMessage());
    }

    @Test
    void badBytesFarIntoAFileAreLocated() throws Exception {
        String lines = "ünïcödé line\n".repeat(9_000); // past the first 64 KiB of bytes and of chars
        Path f = file(utf8(lines), utf8("caf"), new byte[] {(byte) 0xe9}, utf8(" au lait\n"));
        UserError e = assertThrows(UserError.class, () -> Utf8File.lines(f));
        assertEquals(f + ":9001: not UTF-8 text (byte 0xE9 at column 4); save the file as UTF-8", e.getMessage());
    }

    @Test
    void aCharacterCutAtTheEndIsReported() throws Exception {
        byte[] bike = utf8("🚲");
        Path f = file(utf8("ok\n"), new byte[] {bike[0], bike[1]});
        UserError e = assertThrows(UserError.class, () -> Utf8File.read(f));
        assertEquals(f + ":2: not UTF-8 text (byte 0xF0 0x9F at column 1); save the file as UTF-8", e.getMessage());
    }
}
