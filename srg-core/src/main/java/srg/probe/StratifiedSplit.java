package srg.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded train/test split that keeps each class's share: the same labels and seed give the
 * same split on every machine.
 *
 * @param train row indices to fit on, ascending
 * @param test row indices to score on, ascending
 */
public record StratifiedSplit(int[] train, int[] test) {

    /**
     * Puts {@code round(testFraction * n_c)} rows of each class c into the test part, at least one
     * and at most {@code n_c - 1}, so both parts see both classes.
     *
     * @throws IllegalArgumentException when a class has fewer than two rows
     */
    public static StratifiedSplit of(boolean[] labels, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (boolean cls : new boolean[] {false, true}) {
            int[] members = indicesOf(labels, cls);
            if (members.length < 2) {
                throw new IllegalArgumentException("a stratified split needs at least 2 rows of each class, got "
                        + members.length);
            }
            shuffle(members, random);
            int nTest = (int) Math.max(1, Math.min(members.length - 1, Math.round(testFraction * members.length)));
            for (int i = 0; i < members.length; i++) {
                (i < nTest ? test : train).add(members[i]);
            }
        }
        return new StratifiedSplit(sorted(train), sorted(test));
    }

    private static int[] indicesOf(boolean[] labels, boolean cls) {
        int[] out = new int[labels.length];
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == cls) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] sorted(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** {@code labels} at {@code rows}. */
    public static boolean[] pick(boolean[] labels, int[] rows) {
        boolean[] out = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }
}
