package srg.report.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A rate against k (ASR@k, refusal@k) on a log2 axis for one attack: one line per curve, optionally with dashed 95% bounds. */
final class KCurveChart {

    /** ECharts' default palette, fixed here so that a model's bounds (or its other run) share its line's colour. */
    static final List<String> PALETTE = List.of("#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One line.
     *
     * @param label its name in the legend
     * @param attack the attack's node in results.json (rates by k, intervals by k)
     * @param color the line's colour
     * @param dashed drawn dashed (the second run of a comparison)
     * @param bounds whether its 95% bounds are drawn, thin and dashed
     */
    record Curve(String label, JsonNode attack, String color, boolean dashed, boolean bounds) {}

    private KCurveChart() {}

    /** One solid line per model with its bounds, in palette order. */
    static List<Curve> perModel(List<EvalRun.ModelEntry> models, String attack) {
        List<Curve> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            EvalRun.ModelEntry m = models.get(i);
            out.add(new Curve(m.label(), m.node().path("attacks").path(attack), PALETTE.get(i % PALETTE.size()), false, true));
        }
        return out;
    }

    /**
     * @param title the chart's title (the attack)
     * @param ratesKey the attack's field of rates by k, e.g. {@code asr_at_k}
     * @param ciKey its field of intervals by k
     */
    static ObjectNode option(String title, List<Curve> curves, String ratesKey, String ciKey, String yName) {
        ObjectNode option = JSON.createObjectNode();
        option.putObject("title").put("text", title).put("left", 0).putObject("textStyle").put("fontSize", 14);
        option.putObject("tooltip").put("trigger", "axis");
        ArrayNode legend = option.putObject("legend").put("top", 24).put("type", "scroll").putArray("data");
        option.putObject("grid").put("left", 50).put("right", 20).put("top", 64).put("bottom", 50);
        int maxN = 1;
        for (Curve c : curves) {
            maxN = Math.max(maxN, EvalRun.maxK(c.attack()));
        }
        ObjectNode x = option.putObject("xAxis").put("type", "log").put("logBase", 2).put("min", 1).put("max", maxN)
                .put("name", "N (samples per prompt)").put("nameLocation", "middle").put("nameGap", 30);
        x.putObject("splitLine").put("show", true);
        ObjectNode y = option.putObject("yAxis").put("type", "value").put("min", 0).put("name", yName);
        ArrayNode series = option.putArray("series");
        for (Curve c : curves) {
            JsonNode a = c.attack();
            if (!a.path(ratesKey).isObject()) {
                continue;
            }
            legend.add(c.label());
            ObjectNode line = series.addObject().put("name", c.label()).put("type", "line").put("showSymbol", false);
            line.putObject("itemStyle").put("color", c.color());
            line.putObject("lineStyle").put("width", 2.5).put("type", c.dashed() ? "dashed" : "solid");
            ArrayNode data = line.putArray("data");
            a.path(ratesKey).fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    data.addArray().add(Integer.parseInt(e.getKey())).add(e.getValue().asDouble());
                }
            });
            for (int bound = 0; c.bounds() && bound < 2; bound++) {
                ObjectNode ci = series.addObject().put("name", c.label() + (bound == 0 ? " (95% low)" : " (95% high)"))
                        .put("type", "line").put("showSymbol", false).put("silent", true);
                ci.putObject("itemStyle").put("color", c.color());
                ci.putObject("lineStyle").put("type", "dashed").put("width", 1).put("opacity", 0.6);
                ArrayNode cd = ci.putArray("data");
                int b = bound;
                a.path(ciKey).fields().forEachRemaining(e -> {
                    if (!e.getValue().get(b).isNull()) {
                        cd.addArray().add(Integer.parseInt(e.getKey())).add(e.getValue().get(b).asDouble());
                    }
                });
            }
        }
        // Low curves are unreadable on [0, 1]: end the axis at the next tenth above the highest point.
        double top = 0;
        for (JsonNode sr : series) {
            for (JsonNode point : sr.path("data")) {
                top = Math.max(top, point.get(1).asDouble());
            }
        }
        y.put("max", Math.min(1, Math.max(0.1, Math.ceil(top * 10 - 1e-9) / 10)));
        return option;
    }
}
