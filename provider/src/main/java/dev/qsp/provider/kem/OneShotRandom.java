package dev.qsp.provider.kem;

import java.io.Serial;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Hands exactly the prepared blocks of bytes, in order, to SunJCE's ML-KEM encapsulator, which draws its 32-byte
 * m from the {@code SecureRandom} it is given, or to its key pair generator, which draws d and then z. The hybrid
 * encapsulation draws the whole eseed = m ‖ ek_X itself (X-Wing draft §5.4.1), so the draft's derandomized
 * encapsulation is reproduced exactly; key generation from a seed likewise. Any other request is an internal
 * error, never a silent fallback to other randomness.
 */
final class OneShotRandom extends SecureRandom {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient byte[][] blocks;
    private transient int next;

    /** Hands out {@code blocks} in order, each to one {@code nextBytes} call of exactly its length. */
    OneShotRandom(byte[]... blocks) {
        super(new RefusingSpi(), null);
        this.blocks = blocks;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] b = blocks == null || next >= blocks.length ? null : blocks[next];
        if (b == null || bytes.length != b.length) {
            throw new ProviderException("internal error: SunJCE ML-KEM asked for " + bytes.length
                    + " random bytes; the hybrid KEM prepared " + (b == null ? 0 : b.length));
        }
        System.arraycopy(b, 0, bytes, 0, b.length);
        blocks[next++] = null;
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
