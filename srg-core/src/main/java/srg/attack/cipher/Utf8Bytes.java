package srg.attack.cipher;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding for the byte-level ciphers, which must tell text from noise. */
final class Utf8Bytes {

    private Utf8Bytes() {}

    /**
     * The text these bytes spell, or null when they are not valid UTF-8, or (with
     * {@code printableOnly}) when they hold control characters other than line breaks and tabs.
     */
    static String text(byte[] bytes, boolean printableOnly) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (printableOnly && text.codePoints().anyMatch(Utf8Bytes::isControl)) {
                return null;
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static boolean isControl(int cp) {
        return Character.isISOControl(cp) && cp != '\n' && cp != '\t' && cp != '\r';
    }
}
