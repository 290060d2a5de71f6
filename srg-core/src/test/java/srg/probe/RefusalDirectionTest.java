package srg.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class RefusalDirectionTest {

    /** Benign around 0, harmful around 4 e0; sets placed at known points relative to them. */
    @Test
    void measuresTheMeanShiftAgainstTheDirection() {
        DMatrixRMaj benign = new DMatrixRMaj(new double[][] {{1, 1, 0}, {-1, -1, 0}});
        DMatrixRMaj harmful = new DMatrixRMaj(new double[][] {{4, 2, 0}, {4, -2, 0}});
        RefusalDirection r = RefusalDirection.fit(harmful, benign);
        assertEquals(4.0, r.norm(), 1e-12);

        // Half way to harmful, and as far off to the side: cosine 1/sqrt(2), projection 1/2.
        var halfWay = r.alignment(new DMatrixRMaj(new double[][] {{2, 0, 2}, {2, 0, 2}}));
        assertEquals(1 / Math.sqrt(2), halfWay.cosine(), 1e-12);
        assertEquals(0.5, halfWay.projection(), 1e-12);

        // ID harmful itself: cosine 1, projection 1.
        var same = r.alignment(harmful);
        assertEquals(1.0, same.cosine(), 1e-12);
        assertEquals(1.0, same.projection(), 1e-12);

        // Moving away from harmful: negative.
        var away = r.alignment(new DMatrixRMaj(new double[][] {{-2, 0, 0}, {-2, 0, 0}}));
        assertEquals(-1.0, away.cosine(), 1e-12);
        assertEquals(-0.5, away.projection(), 1e-12);

        // Orthogonal: zero.
        assertEquals(0.0, r.alignment(new DMatrixRMaj(new double[][] {{0, 0, 5}, {0, 0, 5}})).cosine(), 1e-12);
    }
}
