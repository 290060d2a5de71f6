package srg.study.safetyworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void studentTIntervalAcrossSeeds() {
        // Five values with mean 0.3 and sample sd 0.1581: t(4, 0.975) = 2.7764, half-width 0.1963.
        double[] s = SeedTable.meanCi(List.of(0.1, 0.2, 0.3, 0.4, 0.5));
        assertEquals(0.3, s[0], 1e-12);
        assertEquals(0.3 - 0.19632, s[1], 1e-4);
        assertEquals(0.3 + 0.19632, s[2], 1e-4);
        // Missing values are left out; one value has no interval.
        double[] one = SeedTable.meanCi(List.of(0.4, Double.NaN));
        assertEquals(0.4, one[0], 1e-12);
        assertTrue(Double.isNaN(one[1]));
    }

    private static JsonNode summary(double rtUnseen, boolean holds) {
        ObjectNode s = JSON.createObjectNode();
        s.putObject("models").putObject("rt").putObject("unseen").put("asr_at_1", rtUnseen);
        s.putArray("expectations").addObject().put("expectation", "RT: mean ASR@1 on unseen disguises >= 50%")
                .put("measured", rtUnseen * 100 + "%").put("holds", holds);
        return s;
    }

    @Test
    void tableHasMeansPerSeedValuesAndHoldCounts() {
        Map<Long, JsonNode> summaries = new LinkedHashMap<>();
        summaries.put(101L, summary(0.6, true));
        summaries.put(102L, summary(0.4, false));
        summaries.put(103L, summary(0.8, true));
        SeedTable table = SeedTable.of(summaries);
        JsonNode fig = table.json().path("figures").path("RT: unseen disguises ASR@1");
        assertEquals(0.6, fig.path("mean_ci95_t").get(0).asDouble(), 1e-12);
        assertEquals(3, fig.path("per_seed").size());
        assertEquals(0.4, fig.path("per_seed").get(1).asDouble(), 1e-12);
        assertTrue(fig.path("mean_ci95_t").get(1).asDouble() < 0.6 && fig.path("mean_ci95_t").get(2).asDouble() > 0.6);
        // A figure no seed has is null, not NaN.
        assertTrue(table.json().path("figures").path("SRG: plain harmful ASR@1").path("per_seed").get(0).isNull());
        JsonNode e = table.json().path("expectations").get(0);
        assertEquals(2, e.path("holds_on").asInt());
        assertEquals(3, e.path("seeds").asInt());
        assertTrue(table.markdown().contains("| RT: unseen disguises ASR@1 | 60.0% |"), table.markdown());
        assertTrue(table.markdown().contains("| 2 of 3 |"), table.markdown());
    }

    @Test
    void seedsWhoseBaseFailedAreNamed() {
        Map<Long, JsonNode> summaries = new LinkedHashMap<>();
        summaries.put(401L, summary(0.2, false));
        ObjectNode failed = (ObjectNode) summary(0.1, false);
        failed.putArray("warnings").add("capability: the base model answers only 7%");
        summaries.put(404L, failed);
        SeedTable table = SeedTable.of(summaries);
        assertEquals(List.of("404"), table.json().path("warnings").properties().stream().map(Map.Entry::getKey).toList());
        assertTrue(table.markdown().contains("- seed 404: capability: the base model answers only 7%"), table.markdown());
        assertTrue(!table.markdown().contains("seed 401:"), table.markdown());
        // The failed seed still counts in the means: it was pre-registered.
        assertEquals(2, table.json().path("figures").path("RT: unseen disguises ASR@1").path("per_seed").size());
    }
}
