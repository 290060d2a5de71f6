package srg.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;

/** probe.json, the report section and probe.html, on two synthetic models. */
class ProbeJsonTest {

    @TempDir
    Path run;

    ProbeResults results;

    @BeforeEach
    void analyse() throws IOException {
        HiddenStateStore store = HiddenStateStore.inRunDir(run);
        HiddenStateExtraction extraction = new HiddenStateExtraction(store);
        ProbeAnalysis.Options options = new ProbeAnalysis.Options(List.of(Pooling.values()),
                LayerSelection.parse("0,2,4"), null, null, 1.0, 0.2, 0);
        Map<String, ProbeResults.ModelProbe> models = new LinkedHashMap<>();
        for (String model : List.of("base", "org/rt-model")) {
            SyntheticSource source = new SyntheticSource(model);
            for (ProbeSet set : List.of(
                    SyntheticSource.set(ProbeSet.ID_HARMFUL, "harmful:", true, 12),
                    SyntheticSource.set(ProbeSet.ID_BENIGN, "benign:", false, 12),
                    SyntheticSource.set("caesar", "disguised:", true, 6),
                    SyntheticSource.set("past_tense", "harmful: in the past", true, 6))) {
                extraction.extract(source, set, new int[] {0, 2, 4}, 8, n -> {});
            }
            models.put(model, ProbeAnalysis.analyse(store, model, options, n -> {}));
        }
        results = new ProbeResults(options.config(), models);
    }

    @Test
    void holdsEveryFigurePerModelPoolingAndLayer() throws IOException {
        Path file = run.resolve(ProbeJson.FILE);
        ProbeJson.write(file, results);
        JsonNode root = new ObjectMapper().readTree(file.toFile());

        assertEquals("[\"last_token\",\"mean\"]", root.at("/config/poolings").toString());
        assertEquals(1.0, root.at("/config/l2").asDouble());
        assertEquals("id_benign", root.at("/config/mean_shift_origin").asText());
        assertEquals(Set.of("base", "org/rt-model"), fieldNames(root.get("models")));
        for (JsonNode model : root.get("models")) {
            assertEquals(SyntheticSource.HIDDEN, model.get("hidden_size").asInt());
            assertEquals("[0,2,4]", model.get("layers").toString());
            assertEquals(2, model.get("pca_layer").asInt());
            assertEquals("ood", model.at("/sets/caesar/role").asText());
            assertEquals(12, model.at("/sets/id_benign/rows").asInt());
            assertEquals(0, model.at("/sets/id_benign/harmful_rows").asInt());
            assertEquals(Set.of("last_token", "mean"), fieldNames(model.get("poolings")));
            for (JsonNode pooling : model.get("poolings")) {
                assertEquals(Set.of("0", "2", "4"), fieldNames(pooling));
                for (JsonNode layer : pooling) {
                    assertEquals(Set.of("pca", "probe", "refusal_direction", "divergence"), fieldNames(layer));
                    assertEquals(Set.of("id_harmful", "id_benign", "caesar", "past_tense"), fieldNames(layer.at("/pca/points")));
                    assertEquals(6, layer.at("/pca/points/caesar").size());
                    assertEquals(2, layer.at("/pca/points/caesar/0").size());
                    assertTrue(layer.at("/pca/explained_variance_ratio").size() >= 2);
                    for (String set : List.of("caesar", "past_tense")) {
                        JsonNode t = layer.at("/probe/ood/" + set);
                        assertEquals(Set.of("rows", "accuracy", "harmful_rate", "mean_harmful_probability"), fieldNames(t));
                        assertEquals(Set.of("cosine", "projection"), fieldNames(layer.at("/refusal_direction/ood/" + set)));
                        assertEquals(Set.of("proxy_a_distance", "held_out_error", "mmd2_linear", "mmd2_linear_scaled"),
                                fieldNames(layer.at("/divergence/" + set)));
                    }
                    assertTrue(layer.at("/probe/id_held_out_accuracy").isNumber());
                    assertTrue(layer.at("/refusal_direction/norm").asDouble() > 0);
                }
            }
        }
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        Path file = run.resolve(ProbeJson.FILE);
        ProbeJson.write(file, results);
        String first = Files.readString(file);
        ProbeJson.write(file, ProbeJson.read(file));
        assertEquals(first, Files.readString(file));
    }

    @Test
    void aBrokenFileIsAUserError() throws IOException {
        Path file = run.resolve(ProbeJson.FILE);
        Files.writeString(file, "{\"models\": [");
        UserError e = assertThrows(UserError.class, () -> ProbeJson.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void reportSectionDrawsEveryChartForEveryModel() {
        ProbeReportSection section = new ProbeReportSection(results);
        assertEquals(5, section.rows().size());
        List<ProbeReportSection.Chart> charts = section.charts();
        assertEquals(10, charts.size());
        Set<String> ids = new HashSet<>();
        String html = section.html();
        for (ProbeReportSection.Chart c : charts) {
            assertTrue(ids.add(c.id()), "unique id " + c.id());
            assertTrue(html.contains("id=\"" + c.id() + "\""), c.id());
        }
        // Scatter: one series per set, each with one point per prompt, colours fixed per set.
        JsonNode scatter = charts.get(0).option();
        assertEquals("base", scatter.at("/title/text").asText());
        assertTrue(scatter.at("/title/subtext").asText().startsWith("layer 2"));
        assertEquals(4, scatter.get("series").size());
        assertEquals("ID benign", scatter.at("/series/0/name").asText());
        assertEquals(12, scatter.at("/series/0/data").size());
        assertEquals(6, scatter.at("/series/2/data").size());
        assertEquals(charts.get(1).option().at("/series/2/itemStyle/color"), scatter.at("/series/2/itemStyle/color"));
        // Probe transfer: the held-out line plus one per OOD set, one point per layer.
        JsonNode transfer = charts.get(2).option();
        assertEquals(3, transfer.get("series").size());
        assertEquals(3, transfer.at("/series/1/data").size());
        assertEquals("[0,4]", "[" + transfer.at("/xAxis/min").asInt() + "," + transfer.at("/xAxis/max").asInt() + "]");
    }

    @Test
    void modelNamesCannotBreakOutOfThePage() {
        String evil = "</script><b>x";
        String html = new ProbeReportSection(new ProbeResults(results.config(), Map.of(evil, results.models().get("base"))))
                .html();
        assertEquals(html.indexOf("</script>"), html.lastIndexOf("</script>"), "only the section's own closing tag");
        assertFalse(html.contains("<b>x"));
        assertTrue(html.contains("&lt;/script&gt;&lt;b&gt;x"));
    }

    @Test
    void probeHtmlIsSelfContained() throws IOException {
        Path file = run.resolve(ProbeHtml.FILE);
        ProbeHtml.write(file, results);
        String page = Files.readString(file);
        assertTrue(page.startsWith("<!doctype html>"));
        assertTrue(page.length() > 500_000, "echarts is inlined");
        assertFalse(page.contains("<script src"), "nothing loaded from the network");
        assertTrue(page.contains("echarts.init("));
        assertTrue(page.contains("org/rt-model"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
