package srg.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.report.ReportSection;
import srg.report.RunFolder;
import srg.report.SectionSource;
import srg.report.SectionWriter;
import srg.world.Disguise;

/**
 * The SafetyWorld study's own section of the report, first on the page: the expectations of the
 * study against what was measured, the base model's decoding of disguises, and the time each
 * stage took. Read from {@code safetyworld.json}.
 */
public final class SafetyWorldSections implements SectionSource {

    @Override
    public int order() {
        return 50;
    }

    @Override
    public List<ReportSection> sections(List<RunFolder> runs) {
        List<ReportSection> out = new ArrayList<>();
        for (RunFolder run : runs) {
            Path file = run.path().resolve(StudySummary.FILE);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode summary;
            try {
                summary = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("reading " + file, e);
            }
            String suffix = runs.size() > 1 ? " (" + run.label() + ")" : "";
            out.add(section("SafetyWorld: the study's expectations" + suffix, w -> expectations(w, summary)));
            out.add(section("SafetyWorld: the base model's knowledge" + suffix, w -> decoding(w, summary)));
        }
        return out;
    }

    private static void expectations(SectionWriter w, JsonNode s) {
        w.paragraph("SafetyWorld is srg's model organism (docs/SAFETYWORLD.md): a base model pretrained on a generated "
                + "world, then refusal-trained (RT) or trained on guideline reasoning (SRG) with plain-form requests "
                + "only, and evaluated with Best-of-N sampling (N = " + s.path("n").asInt() + ") on held-out plain "
                + "harmful requests, seven disguises and benign requests. Each row is a finding of the paper, checked "
                + "against what this run measured; nothing is tuned to make them hold.");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : s.path("expectations")) {
            rows.add(List.of(e.path("expectation").asText(), e.path("measured").asText(),
                    e.path("holds").asBoolean() ? "holds" : "does not hold"));
        }
        w.table(List.of("expectation", "measured", "verdict"), rows);
        List<List<String>> models = new ArrayList<>();
        s.path("models").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            models.add(List.of(e.getKey(), StudySummary.pct(m.path("plain_asr_at_1").asDouble()),
                    StudySummary.pct(m.path("plain_asr_at_n").asDouble()), StudySummary.pct(m.path("ood_mean_asr_at_1").asDouble()),
                    StudySummary.pct(m.path("ood_mean_asr_at_n").asDouble()),
                    StudySummary.pct(m.path("benign_refusal_rate").asDouble(Double.NaN))));
        });
        int n = s.path("n").asInt();
        w.table(List.of("model", "plain ASR@1", "plain ASR@" + n, "mean OOD ASR@1", "mean OOD ASR@" + n, "benign refusal"),
                models);
    }

    private static void decoding(SectionWriter w, JsonNode s) {
        w.paragraph("Before any safety training, the base model must already read disguised requests: each held-out "
                + "reading (a disguised request never read back in the corpus) is continued greedily after \"in plain "
                + "words :\", and counts when the continuation is exactly the plain request.");
        List<List<String>> rows = new ArrayList<>();
        for (Disguise d : Disguise.values()) {
            rows.add(List.of(d.id(), d.analogue(), StudySummary.pct(s.path("base_decoding").path(d.id()).asDouble(Double.NaN))));
        }
        rows.add(List.of("all", "", StudySummary.pct(s.path("base_decoding").path("accuracy").asDouble(Double.NaN))));
        w.table(List.of("disguise", "stands for", "decoded exactly"), rows);
        List<List<String>> times = new ArrayList<>();
        s.path("seconds").fields().forEachRemaining(e -> times.add(List.of(e.getKey(),
                String.format(Locale.ROOT, "%.0f", e.getValue().asDouble()))));
        w.subheading("Time per stage (seconds; 0 when reused from an earlier run)");
        w.table(List.of("stage", "seconds"), times);
    }

    private interface Body {
        void render(SectionWriter w);
    }

    private static ReportSection section(String title, Body body) {
        return new ReportSection() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public void render(SectionWriter w) {
                body.render(w);
            }
        };
    }
}
