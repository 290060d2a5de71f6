package srg.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.chat.Conversation;

class HiddenStateStoreTest {

    @TempDir
    Path run;

    @Test
    void roundTripsEveryVectorThroughTheMappedFile() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        SyntheticSource source = new SyntheticSource("org/model:v1");
        ProbeSet set = SyntheticSource.set("past_tense", "disguised:", true, 7);
        int[] layers = {0, 2, 4};
        new HiddenStateExtraction(store).extract(source, set, layers, 3, n -> {});
        assertEquals(3, source.calls, "7 prompts in batches of 3");

        HiddenStates states = store.open("org/model:v1", "past_tense");
        assertEquals(7, states.rows());
        assertEquals(List.of(0, 2, 4), states.index().layers());
        for (int r = 0; r < 7; r++) {
            Conversation c = set.prompts().get(r).conversation();
            for (int p = 0; p < layers.length; p++) {
                assertArrayEquals(SyntheticSource.vector(c, layers[p], 0), states.vector(r, p, Pooling.LAST_TOKEN));
                assertArrayEquals(SyntheticSource.vector(c, layers[p], 1), states.vector(r, p, Pooling.MEAN));
            }
        }
        DMatrixRMaj m = states.matrix(2, Pooling.MEAN);
        assertEquals(SyntheticSource.vector(set.prompts().get(5).conversation(), 2, 1)[9], m.get(5, 9), 0.0);

        assertEquals(List.of("org/model:v1"), store.models());
        assertEquals(List.of("past_tense"), store.sets("org/model:v1"));
    }

    @Test
    void fileIsLittleEndianFloat32RowMajorWithAJsonIndex() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        ProbeSet set = SyntheticSource.set("id_harmful", "harmful:", true, 2);
        new HiddenStateExtraction(store).extract(new SyntheticSource("tiny"), set, new int[] {1, 3}, 8, n -> {});

        Path data = run.resolve("hidden/tiny/id_harmful.f32");
        byte[] bytes = Files.readAllBytes(data);
        assertEquals(2 * 2 * 2 * SyntheticSource.HIDDEN * 4, bytes.length);
        // Row 1, layer position 1 (layer 3), mean pooling, element 0.
        int offset = (((1 * 2) + 1) * 2 + 1) * SyntheticSource.HIDDEN * 4;
        float expected = SyntheticSource.vector(set.prompts().get(1).conversation(), 3, 1)[0];
        assertEquals(expected, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(offset));

        JsonNode index = new ObjectMapper().readTree(run.resolve("hidden/tiny/id_harmful.json").toFile());
        assertEquals("srg.hidden-states", index.get("format").asText());
        assertEquals("tiny", index.get("model").asText());
        assertEquals("id_harmful", index.get("set").asText());
        assertEquals(2, index.get("rows").asInt());
        assertEquals("[1,3]", index.get("layers").toString());
        assertEquals(SyntheticSource.HIDDEN, index.get("hidden_size").asInt());
        assertEquals("[\"last_token\",\"mean\"]", index.get("poolings").toString());
        assertEquals("[\"b0\",\"b1\"]", index.get("behavior_ids").toString());
        assertEquals("[true,true]", index.get("harmful").toString());
        assertEquals(set.prompts().get(0).conversation().sha256(), index.get("conversation_sha256").get(0).asText());
    }

    @Test
    void statesComputedInAnotherNumberFormatAreExtractedAgain() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        HiddenStateExtraction extraction = new HiddenStateExtraction(store);
        SyntheticSource source = new SyntheticSource("m");
        ProbeSet set = SyntheticSource.set("id_benign", "benign:", false, 4);
        int[] layers = {0, 1};
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, set, layers, 4, n -> {}));
        assertNull(store.open("m", "id_benign").index().numerics(), "a source that does not say writes no numerics");
        source.numerics = "f32";
        assertEquals(HiddenStateExtraction.Outcome.REUSED, extraction.extract(source, set, layers, 4, n -> {}),
                "states stored before formats were recorded are F32");
        source.numerics = "bf16";
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, set, layers, 4, n -> {}));
        assertEquals("bf16", store.open("m", "id_benign").index().numerics());
        assertEquals(HiddenStateExtraction.Outcome.REUSED, extraction.extract(source, set, layers, 4, n -> {}));
        source.numerics = "f32";
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, set, layers, 4, n -> {}));
        assertEquals(3, source.calls);
    }

    @Test
    void resumesSetsThatMatchAndReplacesSetsThatDoNot() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        HiddenStateExtraction extraction = new HiddenStateExtraction(store);
        SyntheticSource source = new SyntheticSource("m");
        ProbeSet set = SyntheticSource.set("id_benign", "benign:", false, 4);
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, set, new int[] {0, 1}, 4, n -> {}));
        int[] reported = {0};
        assertEquals(HiddenStateExtraction.Outcome.REUSED, extraction.extract(source, set, new int[] {0, 1}, 4, n -> reported[0] += n));
        assertEquals(1, source.calls);
        assertEquals(4, reported[0]);

        ProbeSet changed = SyntheticSource.set("id_benign", "benign, reworded:", false, 4);
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, changed, new int[] {0, 1}, 4, n -> {}));
        assertEquals(HiddenStateExtraction.Outcome.EXTRACTED, extraction.extract(source, changed, new int[] {0, 2}, 4, n -> {}));
        assertEquals(List.of(0, 2), store.open("m", "id_benign").index().layers());
    }

    @Test
    void aFailedExtractionLeavesNoIndex() {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        HiddenStateSource broken = new SyntheticSource("m") {
            @Override
            public HiddenStateBatch extract(List<Conversation> conversations, int[] layers) {
                HiddenStateBatch ok = super.extract(conversations, layers);
                return new HiddenStateBatch(ok.lastToken(), new float[ok.rows()][layers.length][3]);
            }
        };
        assertThrows(IllegalStateException.class, () -> new HiddenStateExtraction(store)
                .extract(broken, SyntheticSource.set("x", "harmful:", true, 3), new int[] {0}, 2, n -> {}));
        assertTrue(store.index("m", "x").isEmpty());
        assertFalse(store.models().contains("m"));
    }

    @Test
    void truncatedDataIsAUserErrorNamingTheFile() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        new HiddenStateExtraction(store).extract(new SyntheticSource("m"), SyntheticSource.set("x", "a", true, 3), new int[] {0}, 8, n -> {});
        Path data = run.resolve("hidden/m/x.f32");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length - 4));
        UserError e = assertThrows(UserError.class, () -> store.open("m", "x"));
        assertTrue(e.getMessage().contains("x.f32"), e.getMessage());
    }

    @Test
    void openNeedsARunFolderOrTheHiddenFolder() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        new HiddenStateExtraction(store).extract(new SyntheticSource("m"), SyntheticSource.set("x", "a", true, 2), new int[] {0}, 8, n -> {});
        assertEquals(List.of("m"), HiddenStateStore.open(run).models());
        assertEquals(List.of("m"), HiddenStateStore.open(run.resolve("hidden")).models());
        UserError e = assertThrows(UserError.class, () -> HiddenStateStore.open(run.resolve("nothing")));
        assertTrue(e.getMessage().startsWith("from_hidden: "), e.getMessage());
    }

    /** The layout docs/PROBE.md gives to other tools (e.g. a Python script with transformers). */
    @Test
    void readsASetWrittenByAnotherToolInAFolderOfAnyName() throws IOException {
        Path folder = run.resolve("hidden/written-by-python");
        Files.createDirectories(folder);
        int rows = 2;
        int layers = 3;
        int hidden = 4;
        ByteBuffer data = ByteBuffer.allocate(rows * layers * 2 * hidden * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * layers * 2 * hidden; i++) {
            data.putFloat(i);
        }
        Files.write(folder.resolve("caesar.f32"), data.array());
        Files.writeString(folder.resolve("caesar.json"), """
                {"format": "srg.hidden-states", "version": 1, "model": "Org/Model-7B", "set": "caesar",
                 "rows": 2, "layers": [0, 16, 32], "hidden_size": 4, "dtype": "float32",
                 "byte_order": "little_endian", "poolings": ["last_token", "mean"],
                 "behavior_ids": ["a", "b"], "harmful": [true, true], "conversation_sha256": ["", ""]}
                """);
        HiddenStateStore store = HiddenStateStore.open(run);
        assertEquals(List.of("Org/Model-7B"), store.models());
        HiddenStates states = store.open("Org/Model-7B", "caesar");
        // Row 1, layer 16 (position 1), mean pooling: floats from ((1*3 + 1)*2 + 1)*4 = 36 on.
        assertArrayEquals(new float[] {36, 37, 38, 39}, states.vector(1, 1, Pooling.MEAN));
        assertEquals(36.0, states.matrix(16, Pooling.MEAN).get(1, 0));
    }

    @Test
    void nonFiniteStatesAreAUserErrorNamingTheRow() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        HiddenStateSource overflowing = new SyntheticSource("m") {
            @Override
            public HiddenStateBatch extract(List<Conversation> conversations, int[] layers) {
                HiddenStateBatch ok = super.extract(conversations, layers);
                ok.lastToken()[ok.rows() - 1][0][3] = Float.POSITIVE_INFINITY;
                return ok;
            }
        };
        new HiddenStateExtraction(store).extract(overflowing, SyntheticSource.set("x", "a", true, 3), new int[] {2}, 8, n -> {});
        UserError e = assertThrows(UserError.class, () -> store.open("m", "x").matrix(2, Pooling.LAST_TOKEN));
        assertTrue(e.getMessage().contains("row 2 (behavior b2)"), e.getMessage());
    }
}
