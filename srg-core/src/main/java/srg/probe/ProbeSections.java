package srg.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import srg.report.Compared;
import srg.report.ReportSection;
import srg.report.ReportSection.Part;
import srg.report.RunFolder;
import srg.report.SectionSource;

/**
 * Mounts {@code srg probe}'s plots (from each run's {@code probe.json}) in the run report, after
 * the Best-of-N sections: one report section per chart row, models side by side; and, comparing
 * two runs, the probe's figures at each model's PCA layer side by side.
 */
public final class ProbeSections implements SectionSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int order() {
        return 200;
    }

    @Override
    public List<ReportSection> sections(List<RunFolder> runs) {
        List<ReportSection> out = new ArrayList<>();
        for (RunFolder run : runs) {
            Path file = run.path().resolve(ProbeJson.FILE);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            ProbeResults results = ProbeJson.read(file);
            String suffix = runs.size() > 1 ? " (" + run.label() + ")" : "";
            for (ProbeReportSection.Row row : new ProbeReportSection(results).rows()) {
                out.add(ReportSection.of(Part.REPRESENTATIONS, "Representations: " + row.heading() + suffix, w -> {
                    w.paragraph(row.explanation());
                    w.charts(row.charts().stream().map(ProbeReportSection.Chart::option).toList(), 360);
                }));
            }
        }
        return out;
    }

    /**
     * Per model and disguised (OOD) set, at the layer each run's PCA shows: the share the ID probe
     * calls harmful, the cosine of the set's mean shift with the refusal direction, and the proxy
     * A-distance from ID harmful requests.
     */
    @Override
    public List<ReportSection> compare(RunFolder a, RunFolder b) {
        Path fileA = a.path().resolve(ProbeJson.FILE);
        Path fileB = b.path().resolve(ProbeJson.FILE);
        if (!Files.isRegularFile(fileA) || !Files.isRegularFile(fileB)) {
            return List.of();
        }
        JsonNode x = figures(ProbeJson.read(fileA));
        JsonNode y = figures(ProbeJson.read(fileB));
        Set<String> models = new LinkedHashSet<>();
        x.fieldNames().forEachRemaining(models::add);
        y.fieldNames().forEachRemaining(models::add);
        List<List<String>> rows = new ArrayList<>();
        for (String m : models) {
            Set<String> sets = new LinkedHashSet<>();
            x.path(m).path("ood").fieldNames().forEachRemaining(sets::add);
            y.path(m).path("ood").fieldNames().forEachRemaining(sets::add);
            for (String set : sets) {
                JsonNode p = x.path(m).path("ood").path(set);
                JsonNode q = y.path(m).path("ood").path(set);
                List<String> row = new ArrayList<>(List.of(m, set, x.path(m).path("layer").asText("—") + " / " + y.path(m).path("layer").asText("—")));
                row.addAll(Compared.rate(p.get("harmful_rate"), q.get("harmful_rate")).cells());
                row.addAll(Compared.number(p.get("refusal_cosine"), q.get("refusal_cosine")).cells());
                row.addAll(Compared.number(p.get("proxy_a_distance"), q.get("proxy_a_distance")).cells());
                rows.add(row);
            }
        }
        return List.of(ReportSection.of(Part.REPRESENTATIONS, "Representations: A, B and B − A", w -> {
            w.paragraph("At the layer each run's PCA shows (A / B), for each disguised set: the share the probe trained on plain "
                    + "harmful and benign requests still calls harmful, the cosine of the set's mean shift with the refusal direction, "
                    + "and the proxy A-distance between the set and plain harmful requests (0: indistinguishable, 2: fully separated). "
                    + "Each run's plots are in its own report.");
            w.table(List.of("model", "set", "layer", "called harmful A", "called harmful B", "B − A", "refusal cosine A",
                    "refusal cosine B", "B − A", "proxy A-distance A", "proxy A-distance B", "B − A"), rows);
        }));
    }

    /** Per model, its PCA layer and, per OOD set, the three figures there (last-token states when analysed). */
    private static JsonNode figures(ProbeResults results) {
        ObjectNode out = JSON.createObjectNode();
        String pooling = ProbeReportSection.defaultPooling(results);
        results.models().forEach((name, m) -> {
            ProbeResults.LayerFigures f = m.poolings().getOrDefault(pooling, Map.of()).get(m.pcaLayer());
            if (f == null) {
                return;
            }
            ObjectNode model = out.putObject(name).put("layer", m.pcaLayer());
            ObjectNode ood = model.putObject("ood");
            for (String set : m.oodSets()) {
                ObjectNode s = ood.putObject(set);
                ProbeResults.TransferFigure t = f.probe().ood().get(set);
                if (t != null) {
                    s.put("harmful_rate", t.harmfulRate());
                }
                ProbeResults.Alignment al = f.refusalDirection().ood().get(set);
                if (al != null) {
                    s.put("refusal_cosine", al.cosine());
                }
                ProbeResults.DivergenceFigure d = f.divergence().get(set);
                if (d != null) {
                    s.put("proxy_a_distance", d.proxyADistance());
                }
            }
        });
        return out;
    }
}
