package dev.qsp.provider.kem;

import java.math.BigInteger;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The X25519 function of RFC 7748 §5, with the all-zero check of §6.1 (SPEC.md §2).
 *
 * <p>Why Bouncy Castle and not the JDK's XDH: measured on the project machine (2-core AMD EPYC, JDK 25.0.3,
 * 2026-11-26), the JDK's {@code KeyPairGenerator}/{@code KeyAgreement} "X25519" cost 97 µs for a key pair and
 * 191 µs for key pair + agreement (111 µs to import a scalar and agree), while Bouncy Castle's
 * {@code org.bouncycastle.math.ec.rfc7748.X25519} costs 20 µs for a base-point multiplication and 54 µs for a
 * variable-point one (75 µs for both). The low-level API also takes the 32-byte scalar directly, which
 * X-Wing's seed expansion needs; the JDK can only import it through a {@code KeyFactory}. So the X25519 step is
 * Bouncy Castle's; everything else about it (clamping, masking of the top bit of u, reduction mod p) is
 * RFC 7748 as that class implements it.
 */
final class X25519Dh {
    /** Size of scalars, u-coordinates and shared secrets. */
    static final int SIZE = 32;

    private X25519Dh() {
    }

    /** X25519(k, 9): the public key (X-Wing pk_X / ct_X) of scalar {@code k}. */
    static byte[] publicKey(byte[] k) {
        byte[] u = new byte[SIZE];
        X25519.scalarMultBase(k, 0, u, 0);
        return u;
    }

    /**
     * X25519(k, u), or {@code null} when the result is all zero (u is a point of small order, RFC 7748 §6.1).
     * Because the scalar is clamped to a multiple of the cofactor, whether the result is zero depends on u alone,
     * never on k: refusing it reveals nothing about the private scalar.
     */
    static byte[] sharedSecret(byte[] k, byte[] u) {
        byte[] z = new byte[SIZE];
        X25519.scalarMult(k, 0, u, 0, z, 0);
        if (isAllZero(z)) {
            return null;
        }
        return z;
    }

    /**
     * True if X25519 with {@code u} gives the all-zero secret for every scalar (u has small order), by comparing u
     * with the u-coordinates of the points of order dividing 8 on the curve and its twist, which are exactly the
     * inputs for which a clamped scalar (a multiple of the cofactor) gives zero: 0, 1, p − 1 and the two
     * u-coordinates of the points of order 8 (the same list as libsodium's
     * blocklist, which also names the non-canonical encodings p and p + 1 that reduce to 0 and 1). u is decoded as
     * RFC 7748 §5 does (top bit masked, reduced mod p).
     *
     * <p>Why not one scalar multiplication with a probe scalar (the definition): that costs as much as the X25519
     * of the encapsulation itself (54 µs measured, see above), paid once more by every server handshake for a
     * public value. The Wycheproof X25519 vectors (every zero-shared-secret case, non-canonical ones included) and
     * {@code X25519DhTest} check that this list and the definition agree.
     */
    static boolean hasSmallOrder(byte[] u) {
        byte[] be = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            be[i] = u[SIZE - 1 - i];
        }
        be[0] &= 0x7f; // RFC 7748 §5: the most significant bit of the u-coordinate is masked
        BigInteger v = new BigInteger(1, be).mod(P);
        for (BigInteger s : SMALL_ORDER_U) {
            if (s.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** p = 2^255 − 19. */
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    /** The u-coordinates (mod p) of the points of order 1, 2, 4 and 8 on Curve25519 and its twist. */
    private static final BigInteger[] SMALL_ORDER_U = {
        BigInteger.ZERO,
        BigInteger.ONE,
        P.subtract(BigInteger.ONE),
        new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
        new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"),
    };

    /** The definition of {@link #hasSmallOrder}: X25519 with a fixed clamped scalar gives zero (tests only). */
    static boolean hasSmallOrderByScalarMult(byte[] u) {
        return sharedSecret(PROBE_SCALAR, u) == null;
    }

    private static final byte[] PROBE_SCALAR = new byte[SIZE];

    static {
        PROBE_SCALAR[0] = 1; // any value: X25519 clamps this one to 2^254, a multiple of the cofactor 8
    }

    /** Constant-time all-zero test (no early exit on the secret bytes). */
    static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
