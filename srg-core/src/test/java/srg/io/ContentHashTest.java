package srg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.Conversation;
import srg.chat.Message;

class ContentHashTest {

    @TempDir
    Path tmp;

    @Test
    void plainHashesAreSha256() throws Exception {
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertEquals(abc, ContentHash.ofText("abc"));
        assertEquals(abc, ContentHash.ofBytes(new byte[] {'a', 'b', 'c'}));
        Path file = Files.writeString(tmp.resolve("f.txt"), "abc");
        assertEquals(abc, ContentHash.ofFile(file));
        assertEquals(abc, HexFormat.of().formatHex(ContentHash.newDigest().digest("abc".getBytes())));
    }

    @Test
    void partsAreLengthPrefixed() {
        assertNotEquals(ContentHash.of(List.of("ab", "c")), ContentHash.of(List.of("a", "bc")));
    }

    @Test
    void conversationKeysInTheRunStoreNeverChange() {
        // sha256("4:user2:hi") and sha256("6:system5:Be ok4:user3:hé"): samples stored by earlier runs keep their key.
        assertEquals("a140e2a774572966bafa6376f3e1c0126ac541df0998ead7eff7c03d40a0c602", Conversation.user("hi").sha256());
        assertEquals("3c9d6e692d97854cca241594d0c3d1e2fc4da6d0b4d25734698257f3419d00c7",
                Conversation.of(Message.system("Be ok"), Message.user("hé")).sha256());
    }
}
