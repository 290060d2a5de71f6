package srg.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * One figure measured in two runs, as the three cells a comparison table shows: A, B and B − A.
 * Rates print as percentages and their difference in percentage points, marked {@code *} when
 * both have 95% intervals and those do not overlap (a conservative sign that the difference is
 * not noise); other figures (a cosine, a distance) print with three decimals.
 *
 * @param a the figure in run A, or null where run A lacks it
 * @param ciA its 95% interval {lo, hi}, or null
 * @param b the figure in run B, or null
 * @param ciB its interval, or null
 * @param rate whether the figure is a rate in [0, 1]
 */
public record Compared(Double a, double[] ciA, Double b, double[] ciB, boolean rate) {

    /** A rate and its interval array in each run (any of them may be missing or null). */
    public static Compared rate(JsonNode a, JsonNode ciA, JsonNode b, JsonNode ciB) {
        return new Compared(value(a), interval(ciA), value(b), interval(ciB), true);
    }

    /** A rate without intervals. */
    public static Compared rate(JsonNode a, JsonNode b) {
        return new Compared(value(a), null, value(b), null, true);
    }

    /** A figure that is not a rate. */
    public static Compared number(JsonNode a, JsonNode b) {
        return new Compared(value(a), null, value(b), null, false);
    }

    /** Whether neither run has the figure (a row of dashes is left out of a table). */
    public boolean absent() {
        return a == null && b == null;
    }

    /** A, B and B − A. */
    public List<String> cells() {
        return List.of(format(a), format(b), difference());
    }

    private String difference() {
        if (a == null || b == null) {
            return "—";
        }
        double d = rate ? 100 * (b - a) : b - a;
        String text = String.format(Locale.ROOT, rate ? "%.1f" : "%.3f", Math.abs(d));
        // Rounding to zero prints no sign, whatever side of zero the difference was on.
        boolean zero = text.matches("[0.]+");
        String signed = zero ? text : (d > 0 ? "+" : "−") + text;
        return separated() ? signed + "*" : signed;
    }

    private boolean separated() {
        return ciA != null && ciB != null && (ciA[1] < ciB[0] || ciB[1] < ciA[0]);
    }

    private String format(Double v) {
        if (v == null) {
            return "—";
        }
        return rate ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static Double value(JsonNode v) {
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    private static double[] interval(JsonNode ci) {
        if (ci == null || !ci.isArray() || ci.size() != 2 || !ci.get(0).isNumber() || !ci.get(1).isNumber()) {
            return null;
        }
        return new double[] {ci.get(0).asDouble(), ci.get(1).asDouble()};
    }
}
