package srg.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/** One test per reference case, each with its line of figures, then a summary printing them all. */
final class CaseTests {

    /** What one case's checks measured, and what they found wrong (empty when it passed). */
    record Outcome(String line, List<String> failures) {}

    @FunctionalInterface
    interface Check {
        Outcome run(JsonNode c) throws Exception;
    }

    private CaseTests() {}

    /**
     * The cases' tests and a last test that prints {@code header} and every case's line, then runs
     * {@code after} (null for nothing more).
     */
    static Stream<DynamicTest> of(List<JsonNode> cases, String header, Check check, Executable after) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Outcome o = check.run(c);
            lines.add(o.line());
            assertTrue(o.failures().isEmpty(), c.get("name").asText() + ": " + String.join("; ", o.failures()));
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("summary", () -> {
            System.out.println("parity: " + header);
            lines.forEach(l -> System.out.println("  " + l));
            if (after != null) {
                after.execute();
            }
        })));
    }

    /** Adds {@code failure} unless {@code ok}. */
    static void require(boolean ok, String failure, List<String> failures) {
        if (!ok) {
            failures.add(failure);
        }
    }
}
