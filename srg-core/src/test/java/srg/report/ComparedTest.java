package srg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cells of a comparison (A, B, B − A) and the differences between two configurations. */
class ComparedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void ratesPrintAsPercentagesAndTheirDifferenceInPoints() throws Exception {
        assertEquals(List.of("25.0%", "50.0%", "+25.0*"),
                Compared.rate(json("0.25"), json("[0.2, 0.3]"), json("0.5"), json("[0.4, 0.6]")).cells(), "intervals apart");
        assertEquals(List.of("50.0%", "25.0%", "−25.0"),
                Compared.rate(json("0.5"), json("[0.2, 0.7]"), json("0.25"), json("[0.1, 0.4]")).cells(), "intervals overlap");
        assertEquals(List.of("10.0%", "10.0%", "0.0"), Compared.rate(json("0.1"), json("0.10001")).cells(), "no sign on a rounded zero");
        assertEquals(List.of("—", "30.0%", "—"), Compared.rate(null, json("0.3")).cells());
        assertEquals(List.of("40.0%", "—", "—"), Compared.rate(json("0.4"), json("null")).cells());
        assertTrue(Compared.rate(null, json("null")).absent());
    }

    @Test
    void otherFiguresPrintWithThreeDecimals() throws Exception {
        assertEquals(List.of("0.250", "-0.125", "−0.375"), Compared.number(json("0.25"), json("-0.125")).cells());
    }

    @Test
    void configurationDifferencesListEveryChangedLeaf() throws Exception {
        JsonNode a = json("{\"n\": 32, \"plan\": {\"lr\": 0.002, \"seed\": 101}, \"attacks\": [\"none\", \"caesar\"], \"only_a\": true,"
                + " \"models\": [{\"id\": \"rt\"}]}");
        JsonNode b = json("{\"n\": 32, \"plan\": {\"lr\": 0.002, \"seed\": 102}, \"attacks\": [\"none\"], \"models\": [{\"id\": \"srg\"}],"
                + " \"only_b\": \"x\"}");
        assertEquals(List.of(
                List.of("plan.seed", "101", "102"),
                List.of("attacks", "[\"none\",\"caesar\"]", "[\"none\"]"),
                List.of("only_a", "true", "—"),
                List.of("models[0].id", "rt", "srg"),
                List.of("only_b", "—", "x")), JsonDifferences.rows(a, b));
        assertEquals(List.of(), JsonDifferences.rows(a, a));
    }
}
