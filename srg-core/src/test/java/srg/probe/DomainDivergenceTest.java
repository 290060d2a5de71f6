package srg.probe;

import java.util.Arrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DomainDivergenceTest {

    private static final int D = 20;

    @Test
    void identicalDistributionsAreAboutZeroApart() {
        DMatrixRMaj p = Gaussians.sample(300, new double[D], 1, 1);
        DMatrixRMaj q = Gaussians.sample(300, new double[D], 1, 2);
        var pad = DomainDivergence.proxyADistance(p, q, 1.0, 0);
        assertTrue(pad.proxyADistance() < 0.3, "proxy A-distance " + pad);
        assertEquals(0.5, pad.heldOutError(), 0.08);
        var mmd = DomainDivergence.linearMmd(p, q);
        // The unbiased estimate has standard deviation ~ sqrt(2 D) * 2 / n here.
        assertEquals(0.0, mmd.mmd2(), 0.1);
        assertEquals(0.0, mmd.mmd2Scaled(), 0.005);
    }

    @Test
    void unequalSizesDoNotInflateTheProxyADistance() {
        DMatrixRMaj p = Gaussians.sample(300, new double[D], 1, 3);
        DMatrixRMaj q = Gaussians.sample(40, new double[D], 1, 4);
        assertTrue(DomainDivergence.proxyADistance(p, q, 1.0, 0).proxyADistance() < 0.4);
    }

    @Test
    void shiftedDistributionsAreFarApart() {
        double[] shift = new double[D];
        Arrays.fill(shift, 1.0); // squared distance between the means: D
        DMatrixRMaj p = Gaussians.sample(300, new double[D], 1, 5);
        DMatrixRMaj q = Gaussians.sample(200, shift, 1, 6);
        var pad = DomainDivergence.proxyADistance(p, q, 1.0, 0);
        assertTrue(pad.proxyADistance() > 1.9, "proxy A-distance " + pad);
        var mmd = DomainDivergence.linearMmd(p, q);
        assertEquals(D, mmd.mmd2(), 0.1 * D);
        // Each set's total variance is D, so the scaled MMD² is about 1.
        assertEquals(1.0, mmd.mmd2Scaled(), 0.1);
    }

    @Test
    void growsWithTheShift() {
        DMatrixRMaj p = Gaussians.sample(200, new double[D], 1, 7);
        double last = -1;
        for (double s : new double[] {0.2, 0.5, 1.0, 2.0}) {
            DMatrixRMaj q = Gaussians.sample(200, Gaussians.vector(D, 0, s), 1, 8);
            double pad = DomainDivergence.proxyADistance(p, q, 1.0, 0).proxyADistance();
            assertTrue(pad >= last, "proxy A-distance " + pad + " after " + last + " at shift " + s);
            last = pad;
        }
    }

    @Test
    void isDeterministicForASeed() {
        DMatrixRMaj p = Gaussians.sample(50, new double[D], 1, 9);
        DMatrixRMaj q = Gaussians.sample(50, Gaussians.vector(D, 0, 0.7), 1, 10);
        assertEquals(DomainDivergence.proxyADistance(p, q, 1.0, 42), DomainDivergence.proxyADistance(p, q, 1.0, 42));
    }
}
