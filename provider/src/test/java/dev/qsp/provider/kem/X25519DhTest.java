package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The small-order test by list ({@link X25519Dh#hasSmallOrder}) agrees with its definition (a scalar multiplication). */
class X25519DhTest {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private static byte[] le(BigInteger v, boolean topBit) {
        byte[] out = new byte[32];
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            out[i] = be[be.length - 1 - i];
        }
        if (topBit) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    @Test
    void everyListedValueAndItsNonCanonicalFormsGiveZero() {
        String[] listed = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        };
        for (String h : listed) {
            byte[] u = hex(h);
            assertTrue(X25519Dh.hasSmallOrderByScalarMult(u), h);
            assertTrue(X25519Dh.hasSmallOrder(u), h);
            BigInteger v = new BigInteger(1, reverse(u));
            for (boolean top : new boolean[] {false, true}) {
                // the encoding with the (masked) top bit set, and v + p where it still fits in 255 bits
                assertTrue(X25519Dh.hasSmallOrder(le(v, top)), h + " top=" + top);
                assertTrue(X25519Dh.hasSmallOrderByScalarMult(le(v, top)), h + " top=" + top);
                if (v.add(P).bitLength() <= 255) {
                    assertTrue(X25519Dh.hasSmallOrder(le(v.add(P), top)), h + " +p top=" + top);
                    assertTrue(X25519Dh.hasSmallOrderByScalarMult(le(v.add(P), top)), h + " +p top=" + top);
                }
            }
        }
    }

    @Test
    void agreesWithTheScalarMultiplicationOnNeighboursAndRandomValues() {
        Random r = new Random(25519);
        for (int i = 0; i < 2000; i++) {
            byte[] u = new byte[32];
            if (i < 64) {
                // values next to the listed ones and next to p: 0..31 and p-32..p+31
                BigInteger v = i < 32 ? BigInteger.valueOf(i) : P.subtract(BigInteger.valueOf(32)).add(BigInteger.valueOf(2L * (i - 32)));
                u = le(v, false);
            } else {
                r.nextBytes(u);
            }
            assertEquals(X25519Dh.hasSmallOrderByScalarMult(u), X25519Dh.hasSmallOrder(u), hex(u));
        }
    }

    private static byte[] reverse(byte[] a) {
        byte[] b = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[a.length - 1 - i];
        }
        return b;
    }
}
