package srg.engine.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HalfsTest {

    @Test
    void knownF16Values() {
        assertEquals(1.0f, Halfs.f16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, Halfs.f16ToFloat((short) 0xc000));
        assertEquals(65504f, Halfs.f16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Halfs.f16ToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(Float.POSITIVE_INFINITY, Halfs.f16ToFloat((short) 0x7c00));
        assertEquals(true, Float.isNaN(Halfs.f16ToFloat((short) 0x7e00)));
    }

    @Test
    void everyF16RoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Halfs.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(bits, Halfs.floatToF16(f) & 0xffff, "bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void everyBf16RoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Halfs.bf16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(bits, Halfs.floatToBf16(f) & 0xffff);
        }
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-11 is halfway between two F16 values: ties go to the even mantissa (1.0).
        assertEquals(0x3c00, Halfs.floatToF16(1f + 0x1p-11f) & 0xffff);
        assertEquals(0x3c02, Halfs.floatToF16(1f + 3 * 0x1p-11f) & 0xffff);
        assertEquals(0x7c00, Halfs.floatToF16(70000f) & 0xffff);
        // BF16: 1 + 2^-8 is halfway; ties to even.
        assertEquals(0x3f80, Halfs.floatToBf16(1f + 0x1p-8f) & 0xffff);
    }
}
