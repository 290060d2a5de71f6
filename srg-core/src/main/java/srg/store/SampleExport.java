package srg.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import srg.judge.Judgment;

/**
 * A run store's samples and verdicts as JSONL, one object per (prompt, sample): model, role,
 * attack, behavior_id, behavior, category, source, context, variant, attack_params, messages,
 * sampling, index, text, finish_reason, error, and verdicts {judge: {verdict, refusal, score,
 * rationale, helpful}}. Streams: the run is never loaded into memory.
 */
public final class SampleExport {

    /** The export's usual name in a run folder. */
    public static final String FILE_NAME = "samples.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private SampleExport() {}

    /** Writes every sample of {@code store} to {@code stream}, which stays open; returns how many. */
    public static long write(RunStore store, OutputStream stream) throws IOException {
        long[] rows = {0};
        try (SequenceWriter lines = JSON.writer().withRootValueSeparator("\n").writeValues(stream)) {
            store.export(row -> {
                try {
                    lines.write(line(row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rows[0]++;
            });
        }
        stream.write('\n');
        return rows[0];
    }

    private static ObjectNode line(RunStore.ExportRow row) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", row.sample().model());
        o.put("role", row.role().wireName());
        o.put("attack", row.attack());
        o.put("behavior_id", row.behavior().id());
        o.put("behavior", row.behavior().text());
        o.put("category", row.behavior().category());
        o.put("source", row.behavior().source());
        o.put("context", row.behavior().context());
        o.put("variant", row.variant());
        o.set("attack_params", JSON.valueToTree(row.params()));
        o.set("messages", JSON.valueToTree(row.conversation().messages()));
        o.put("sampling", row.sample().sampling());
        o.put("index", row.sample().index());
        o.put("text", row.sample().completion().text());
        o.put("finish_reason", row.sample().completion().finishReason().wireName());
        o.put("error", row.sample().completion().error());
        ObjectNode verdicts = o.putObject("verdicts");
        for (Map.Entry<String, Judgment> v : row.verdicts().entrySet()) {
            Judgment j = v.getValue();
            ObjectNode vn = verdicts.putObject(v.getKey()).put("verdict", j.verdict().name().toLowerCase(Locale.ROOT));
            // Unknown is written as null, not left out: every line has the same fields.
            vn.put("refusal", j.refusal());
            vn.put("score", j.score());
            vn.put("rationale", j.rationale());
            vn.put("helpful", j.helpful());
        }
        return o;
    }
}
