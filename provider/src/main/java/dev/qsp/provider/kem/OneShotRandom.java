package dev.qsp.provider.kem;

import java.io.Serial;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Hands exactly one prepared block of bytes to SunJCE's ML-KEM encapsulator, which draws its 32-byte m from the
 * {@code SecureRandom} it is given. The hybrid encapsulation draws the whole eseed = m ‖ ek_X itself (X-Wing
 * draft §5.4.1), so the draft's derandomized encapsulation is reproduced exactly. Any other request is an
 * internal error, never a silent fallback to other randomness.
 */
final class OneShotRandom extends SecureRandom {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient byte[] block;

    OneShotRandom(byte[] block) {
        super(new RefusingSpi(), null);
        this.block = block;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] b = block;
        if (b == null || bytes.length != b.length) {
            throw new ProviderException("internal error: SunJCE ML-KEM asked for " + bytes.length
                    + " random bytes; the hybrid KEM prepared " + (b == null ? 0 : b.length));
        }
        System.arraycopy(b, 0, bytes, 0, b.length);
        block = null;
    }

    /** Every other SecureRandom method ends here. */
    private static final class RefusingSpi extends SecureRandomSpi {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            throw new ProviderException("internal error: OneShotRandom cannot be seeded");
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            throw new ProviderException("internal error: OneShotRandom has only its prepared block");
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new ProviderException("internal error: OneShotRandom has no seed");
        }
    }
}
