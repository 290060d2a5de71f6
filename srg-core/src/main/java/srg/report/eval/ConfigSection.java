package srg.report.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import srg.report.ReportSection;
import srg.report.SectionWriter;

/** Each run's exact configuration, as recorded in results.json. */
final class ConfigSection implements ReportSection {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<EvalRun> runs;

    ConfigSection(List<EvalRun> runs) {
        this.runs = runs;
    }

    @Override
    public String title() {
        return "Configuration";
    }

    @Override
    public Part part() {
        return Part.RUN;
    }

    @Override
    public void render(SectionWriter out) {
        for (EvalRun run : runs) {
            if (runs.size() > 1) {
                out.subheading(run.run().label());
            }
            out.note("results.json written " + run.results().path("created").asText());
            try {
                out.preformatted(JSON.writeValueAsString(run.results().path("config")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
