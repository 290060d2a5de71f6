package srg.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.probe.ProbeResults.LayerFigures;
import srg.probe.ProbeResults.ModelProbe;

/** The whole analysis on the planted structure of {@link SyntheticSource}. */
class ProbeAnalysisTest {

    @TempDir
    Path run;

    HiddenStateStore store;

    @BeforeEach
    void extract() throws IOException {
        store = HiddenStateStore.inRunDir(run);
        HiddenStateExtraction extraction = new HiddenStateExtraction(store);
        SyntheticSource source = new SyntheticSource("rt-model");
        int[] layers = LayerSelection.ALL.resolve(SyntheticSource.LAYERS);
        for (ProbeSet set : List.of(
                SyntheticSource.set(ProbeSet.ID_HARMFUL, "harmful:", true, 80),
                SyntheticSource.set(ProbeSet.ID_BENIGN, "benign:", false, 80),
                SyntheticSource.set("disguised", "disguised:", true, 40),
                SyntheticSource.set("plain_copy", "harmful: again", true, 40))) {
            extraction.extract(source, set, layers, 16, n -> {});
        }
    }

    @Test
    void findsThePlantedStructure() {
        int[] steps = {0};
        ModelProbe m = ProbeAnalysis.analyse(store, "rt-model", ProbeAnalysis.Options.defaults(), n -> steps[0] += n);
        assertEquals(2 * (SyntheticSource.LAYERS + 1), steps[0]);
        assertEquals(List.of(0, 1, 2, 3, 4), m.layers());
        assertEquals(2, m.pcaLayer());
        assertEquals(List.of("disguised", "plain_copy"), m.oodSets());
        assertEquals(new ProbeResults.SetSummary("ood", 40, 40), m.sets().get("disguised"));

        for (int layer = 0; layer <= SyntheticSource.LAYERS; layer++) {
            LayerFigures f = m.poolings().get("last_token").get(layer);
            boolean seesThrough = layer >= SyntheticSource.SEES_THROUGH;
            assertTrue(f.probe().idHeldOutAccuracy() > 0.9, "ID held-out at layer " + layer);
            // The untouched copy of ID harmful transfers everywhere and is close to ID harmful.
            assertTrue(f.probe().ood().get("plain_copy").harmfulRate() > 0.9);
            assertTrue(f.divergence().get("plain_copy").proxyADistance() < 0.6, "plain copy PAD at " + layer);
            assertTrue(f.refusalDirection().ood().get("plain_copy").cosine() > 0.9);
            // The disguise fools the probe, sits far from ID harmful and off the refusal direction,
            // until the layer where the planted model sees through it.
            var transfer = f.probe().ood().get("disguised");
            var divergence = f.divergence().get("disguised");
            var alignment = f.refusalDirection().ood().get("disguised");
            if (seesThrough) {
                assertTrue(transfer.harmfulRate() > 0.9, "harmful rate at " + layer);
                assertTrue(divergence.proxyADistance() < 0.6, "PAD at " + layer);
                assertTrue(alignment.cosine() > 0.9, "cosine at " + layer);
            } else {
                assertTrue(transfer.harmfulRate() < 0.2, "harmful rate at " + layer);
                assertEquals(transfer.harmfulRate(), transfer.accuracy(), 1e-12);
                assertTrue(divergence.proxyADistance() > 1.5, "PAD at " + layer);
                assertTrue(divergence.mmd2LinearScaled() > 0.5, "MMD at " + layer);
                assertTrue(alignment.cosine() < 0.4, "cosine at " + layer);
            }
            // Scatter: every set, every row, with harmful to the right of benign.
            assertEquals(40, f.pca().points().get("disguised").length);
            assertTrue(mean(f.pca().points().get(ProbeSet.ID_HARMFUL)) > mean(f.pca().points().get(ProbeSet.ID_BENIGN)));
        }
    }

    @Test
    void analysesOnlyTheLayersAndSetsAskedFor() {
        var options = new ProbeAnalysis.Options(List.of(Pooling.MEAN), LayerSelection.parse("1,3"), 3,
                List.of("disguised"), 1.0, 0.25, 5);
        ModelProbe m = ProbeAnalysis.analyse(store, "rt-model", options, n -> {});
        assertEquals(List.of(1, 3), m.layers());
        assertEquals(3, m.pcaLayer());
        assertEquals(List.of("mean"), List.copyOf(m.poolings().keySet()));
        assertEquals(List.of("disguised"), m.oodSets());
    }

    @Test
    void reportsWhatIsMissing() {
        UserError noModel = assertThrows(UserError.class,
                () -> ProbeAnalysis.analyse(store, "other", ProbeAnalysis.Options.defaults(), n -> {}));
        assertTrue(noModel.getMessage().contains("rt-model"), noModel.getMessage());
        var badLayer = new ProbeAnalysis.Options(List.of(Pooling.MEAN), LayerSelection.ALL, 9, null, 1.0, 0.2, 0);
        UserError e = assertThrows(UserError.class, () -> ProbeAnalysis.analyse(store, "rt-model", badLayer, n -> {}));
        assertTrue(e.getMessage().startsWith("pca_layer: 9 is not among"), e.getMessage());
    }

    private static double mean(float[][] points) {
        double s = 0;
        for (float[] p : points) {
            s += p[0];
        }
        return s / points.length;
    }

    /**
     * At layer 0 (embeddings) the last prompt token is the same token for every prompt (the end of
     * the generation prompt), so every row is identical. The analyses must say "no signal", not NaN.
     */
    @Test
    void identicalRowsGiveNoSignalAndNoNaN() {
        org.ejml.data.DMatrixRMaj same = new org.ejml.data.DMatrixRMaj(6, 20); // wider than long, as hidden states are
        Arrays.fill(same.data, 0.25);
        LayerFigures f = ProbeAnalysis.layer(same, same.copy(), Map.of("ood", same.copy()),
                Map.of("ood", new boolean[] {true, true, true, true, true, true}),
                ProbeAnalysis.Options.defaults());
        String json = f.toString();
        assertTrue(!json.contains("NaN") && !json.contains("Infinity"), json);
        assertEquals(0.5, f.probe().idHeldOutAccuracy());
        assertEquals(0.0, f.refusalDirection().norm());
        assertEquals(0.0, f.refusalDirection().ood().get("ood").cosine());
        assertEquals(0.0, f.divergence().get("ood").proxyADistance());
        assertEquals(0.0, f.divergence().get("ood").mmd2Linear(), 1e-12);
        assertEquals(0.0, f.pca().explainedVarianceRatio().get(0));
        for (float[] p : f.pca().points().get("ood")) {
            assertEquals(0f, p[0]);
            assertEquals(0f, p[1]);
        }
    }
}
