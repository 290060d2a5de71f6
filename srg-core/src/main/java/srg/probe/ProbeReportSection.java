package srg.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import srg.probe.ProbeResults.LayerFigures;
import srg.probe.ProbeResults.ModelProbe;

/**
 * The representation-analysis part of a report: echarts charts built from {@link ProbeResults},
 * each model side by side in every row.
 *
 * <ul>
 *   <li>PCA scatter per model at its chosen layer: ID harmful, ID benign, each OOD set;
 *   <li>probe transfer accuracy against layer;
 *   <li>cosine of each OOD mean shift with the refusal direction against layer;
 *   <li>proxy A-distance and scaled linear MMD² against layer.
 * </ul>
 *
 * <p>{@link #html()} is a fragment that expects the global {@code echarts} to be loaded already
 * (the page that mounts it inlines the library once); {@link ProbeHtml} wraps it into a page of
 * its own. {@link #charts()} gives each chart's option JSON for pages that render charts their way.
 */
public final class ProbeReportSection {

    /** One chart: the element id it renders into, a title, and its echarts option. */
    public record Chart(String id, String title, ObjectNode option) {}

    /** A row of charts, one per model, with a heading and a sentence on how to read it. */
    public record Row(String heading, String explanation, List<Chart> charts) {}

    // Fixed colours per set, shared by every chart, so a set reads the same everywhere.
    private static final String HARMFUL_COLOR = "#d62728";
    private static final String BENIGN_COLOR = "#1f77b4";
    private static final String[] OOD_COLORS = {
        "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
        "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeResults results;
    private final String pooling;
    private final String idPrefix;
    private final Map<String, String> colors = new LinkedHashMap<>();

    /** The section for {@code results}, drawn from last-token states when those were analysed. */
    public ProbeReportSection(ProbeResults results) {
        this(results, defaultPooling(results), "srg-probe");
    }

    /**
     * @param pooling which pooling's figures to draw ({@code last_token} or {@code mean})
     * @param idPrefix prefix of the chart element ids, unique within the page
     */
    public ProbeReportSection(ProbeResults results, String pooling, String idPrefix) {
        this.results = results;
        this.pooling = pooling;
        this.idPrefix = idPrefix;
        colors.put(ProbeSet.ID_HARMFUL, HARMFUL_COLOR);
        colors.put(ProbeSet.ID_BENIGN, BENIGN_COLOR);
        TreeSet<String> ood = new TreeSet<>();
        results.models().values().forEach(m -> ood.addAll(m.oodSets()));
        int i = 0;
        for (String name : ood) {
            colors.put(name, OOD_COLORS[i++ % OOD_COLORS.length]);
        }
    }

    /** Last-token states when they were analysed, else the first pooling analysed. */
    static String defaultPooling(ProbeResults results) {
        List<String> poolings = results.config().poolings();
        return poolings.contains(Pooling.LAST_TOKEN.key()) || poolings.isEmpty() ? Pooling.LAST_TOKEN.key() : poolings.get(0);
    }

    /** The rows of charts, in page order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("PCA of hidden states",
                "PCA fitted on ID harmful and ID benign prompts; every set projected into it, at the layer named in "
                        + "each title. Axes are oriented so that ID harmful lies right of and above ID benign. OOD "
                        + "harmful sets that sit with the benign cluster are disguises the model does not see through.",
                perModel("pca", this::scatter)));
        rows.add(new Row("Linear probe transfer",
                "A logistic-regression probe trained on ID harmful vs ID benign, scored on each OOD set against its "
                        + "own labels (for a harmful set: the share it still calls harmful). The dashed line is the "
                        + "accuracy on held-out ID prompts.",
                perModel("probe", this::probeTransfer)));
        rows.add(new Row("Alignment with the refusal direction",
                "Cosine between each OOD set's mean shift (its mean minus the ID benign mean) and the refusal "
                        + "direction (ID harmful mean minus ID benign mean). Near 1: the set moves the way harmful "
                        + "requests do; near 0: the shift is unrelated to refusal.",
                perModel("refusal", this::refusalCosine)));
        rows.add(new Row("Domain divergence: proxy A-distance",
                "2(1 - 2 err) for a linear classifier that separates ID harmful from each OOD set on held-out "
                        + "halves (balanced error). 0: indistinguishable; 2: fully separated.",
                perModel("pad", m -> divergence(m, "Proxy A-distance", 2.0,
                        f -> f.proxyADistance()))));
        rows.add(new Row("Domain divergence: linear-kernel MMD²",
                "Unbiased squared distance between the ID harmful and OOD means, divided by the mean total variance "
                        + "of the two sets so that layers compare.",
                perModel("mmd", m -> divergence(m, "MMD² / variance", null,
                        f -> f.mmd2LinearScaled()))));
        return rows;
    }

    /** Every chart, row by row. */
    public List<Chart> charts() {
        return rows().stream().flatMap(r -> r.charts().stream()).toList();
    }

    /** The HTML fragment: a {@code <section>} with every row and one script that draws the charts. */
    public String html() {
        StringBuilder out = new StringBuilder();
        out.append("<section class=\"srg-probe\">\n<h2>Representation analysis</h2>\n");
        if (results.models().isEmpty()) {
            out.append("<p>No models were analysed.</p>\n</section>\n");
            return out.toString();
        }
        out.append("<p>Hidden states pooled by <b>").append(escape(pooling)).append("</b>. Models: ")
                .append(escape(String.join(", ", results.models().keySet()))).append(".</p>\n");
        List<Chart> all = new ArrayList<>();
        for (Row row : rows()) {
            out.append("<h3>").append(escape(row.heading())).append("</h3>\n<p>").append(escape(row.explanation()))
                    .append("</p>\n<div style=\"display:flex;flex-wrap:wrap;gap:12px\">\n");
            for (Chart c : row.charts()) {
                out.append("<div id=\"").append(escape(c.id())).append("\" style=\"flex:1 1 380px;min-width:340px;height:")
                        .append(c.id().contains("-pca-") ? 420 : 300).append("px\"></div>\n");
                all.add(c);
            }
            out.append("</div>\n");
        }
        ArrayNode specs = JSON.createArrayNode();
        for (Chart c : all) {
            specs.addObject().put("id", c.id()).set("option", c.option());
        }
        out.append("<script>\n(function () {\n  var charts = ").append(scriptJson(specs)).append(";\n")
                .append("""
                          charts.forEach(function (c) {
                            var chart = echarts.init(document.getElementById(c.id));
                            chart.setOption(c.option);
                            window.addEventListener('resize', function () { chart.resize(); });
                          });
                        })();
                        </script>
                        </section>
                        """);
        return out.toString();
    }

    private interface ChartOption {
        ObjectNode build(Map.Entry<String, ModelProbe> model);
    }

    private List<Chart> perModel(String kind, ChartOption build) {
        List<Chart> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, ModelProbe> m : results.models().entrySet()) {
            ObjectNode option = build.build(m);
            out.add(new Chart(idPrefix + "-" + kind + "-" + i++, option.path("title").path("text").asText(), option));
        }
        return out;
    }

    private Map<Integer, LayerFigures> layers(ModelProbe m) {
        return m.poolings().getOrDefault(pooling, Map.of());
    }

    private ObjectNode scatter(Map.Entry<String, ModelProbe> model) {
        ModelProbe m = model.getValue();
        LayerFigures f = layers(m).get(m.pcaLayer());
        ObjectNode o = base(model.getKey(), f == null ? "not analysed with this pooling"
                : String.format("layer %d · PC1 %.1f%% · PC2 %.1f%% of ID variance", m.pcaLayer(),
                        100 * ratio(f, 0), 100 * ratio(f, 1)));
        o.putObject("tooltip").put("trigger", "item");
        axis(o.putObject("xAxis"), "PC1").put("scale", true);
        axis(o.putObject("yAxis"), "PC2").put("scale", true);
        ArrayNode series = o.putArray("series");
        if (f != null) {
            for (String set : setOrder(m)) {
                float[][] pts = f.pca().points().get(set);
                if (pts == null) {
                    continue;
                }
                ObjectNode s = series.addObject().put("name", label(set)).put("type", "scatter").put("symbolSize", 6);
                s.putObject("itemStyle").put("color", colors.get(set)).put("opacity", 0.7);
                ArrayNode data = s.putArray("data");
                for (float[] p : pts) {
                    data.addArray().add(round(p[0])).add(round(p[1]));
                }
            }
        }
        return o;
    }

    private static double ratio(LayerFigures f, int c) {
        List<Double> r = f.pca().explainedVarianceRatio();
        return c < r.size() ? r.get(c) : 0;
    }

    private ObjectNode probeTransfer(Map.Entry<String, ModelProbe> model) {
        ObjectNode o = oodLines(model, "probe accuracy", 0.0, 1.0, (f, set) -> {
            var t = f.probe().ood().get(set);
            return t == null ? null : t.accuracy();
        });
        ObjectNode id = line((ArrayNode) o.get("series"), "ID held-out", "#000000");
        id.putObject("lineStyle").put("type", "dashed");
        layers(model.getValue()).forEach((layer, f) ->
                id.withArray("data").addArray().add(layer).add(round(f.probe().idHeldOutAccuracy())));
        return o;
    }

    private ObjectNode refusalCosine(Map.Entry<String, ModelProbe> model) {
        return oodLines(model, "cosine with refusal direction", -1.0, 1.0, (f, set) -> {
            var a = f.refusalDirection().ood().get(set);
            return a == null ? null : a.cosine();
        });
    }

    private ObjectNode divergence(Map.Entry<String, ModelProbe> model, String yName, Double max,
            ToDoubleFunction<ProbeResults.DivergenceFigure> value) {
        return oodLines(model, yName, 0.0, max, (f, set) -> {
            var d = f.divergence().get(set);
            return d == null ? null : value.applyAsDouble(d);
        });
    }

    /** A chart against layer with one line per OOD set; {@code value} is null where a set has no figure. */
    private ObjectNode oodLines(Map.Entry<String, ModelProbe> model, String yName, Double min, Double max,
            BiFunction<LayerFigures, String, Double> value) {
        ModelProbe m = model.getValue();
        ObjectNode o = lineChart(model.getKey(), yName, m, min, max);
        ArrayNode series = (ArrayNode) o.get("series");
        for (String set : m.oodSets()) {
            ArrayNode data = line(series, label(set), colors.get(set)).withArray("data");
            layers(m).forEach((layer, f) -> {
                Double v = value.apply(f, set);
                if (v != null) {
                    data.addArray().add(layer).add(round(v));
                }
            });
        }
        return o;
    }

    private ObjectNode lineChart(String model, String yName, ModelProbe m, Double min, Double max) {
        ObjectNode o = base(model, "against layer (" + pooling + ")");
        o.putObject("tooltip").put("trigger", "axis");
        ObjectNode x = axis(o.putObject("xAxis"), "layer");
        if (!m.layers().isEmpty()) {
            x.put("min", m.layers().get(0)).put("max", m.layers().get(m.layers().size() - 1));
        }
        ObjectNode y = axis(o.putObject("yAxis"), yName);
        if (min != null) {
            y.put("min", min);
        }
        if (max != null) {
            y.put("max", max);
        }
        o.putArray("series");
        return o;
    }

    private static ObjectNode line(ArrayNode series, String name, String color) {
        ObjectNode s = series.addObject().put("name", name).put("type", "line").put("showSymbol", false);
        s.putObject("itemStyle").put("color", color);
        s.putArray("data");
        return s;
    }

    private static ObjectNode base(String title, String subtitle) {
        ObjectNode o = JSON.createObjectNode();
        o.put("animation", false);
        o.putObject("title").put("text", title).put("subtext", subtitle).put("left", "center");
        o.putObject("legend").put("type", "scroll").put("bottom", 0);
        o.putObject("grid").put("left", 56).put("right", 24).put("top", 64).put("bottom", 64);
        return o;
    }

    private static ObjectNode axis(ObjectNode axis, String name) {
        return axis.put("type", "value").put("name", name).put("nameLocation", "middle").put("nameGap", 32);
    }

    private static List<String> setOrder(ModelProbe m) {
        List<String> out = new ArrayList<>(List.of(ProbeSet.ID_BENIGN, ProbeSet.ID_HARMFUL));
        out.addAll(m.oodSets());
        return out;
    }

    private static String label(String set) {
        return switch (set) {
            case ProbeSet.ID_HARMFUL -> "ID harmful";
            case ProbeSet.ID_BENIGN -> "ID benign";
            default -> set;
        };
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /** JSON made safe inside a {@code <script>} element. */
    static String scriptJson(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("<", "\\u003c").replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
