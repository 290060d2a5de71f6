package srg.parity;

/** How far srg's numbers lie from the reference's. */
final class Diff {

    private Diff() {}

    /** max |expected - actual| over all elements. */
    static double maxAbs(float[] expected, float[] actual) {
        requireSameLength(expected, actual);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }

    /** ‖expected - actual‖ / ‖expected‖ (L2); 0 when both are zero. */
    static double relative(float[] expected, float[] actual) {
        requireSameLength(expected, actual);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) expected[i] - actual[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        if (Double.isNaN(diff)) {
            return Double.POSITIVE_INFINITY;
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }

    private static void requireSameLength(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("shapes differ: " + expected.length + " reference values, " + actual.length
                    + " from srg");
        }
    }

    static String format(double d) {
        return String.format(java.util.Locale.ROOT, "%.1e", d);
    }
}
