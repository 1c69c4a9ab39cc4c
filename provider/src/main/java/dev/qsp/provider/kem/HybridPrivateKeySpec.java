package dev.qsp.provider.kem;

import javax.security.auth.Destroyable;

/** The raw encoding of a hybrid KEM private key: a {@link HybridKeySpec} whose bytes can be erased. */
public abstract sealed class HybridPrivateKeySpec extends HybridKeySpec implements Destroyable
        permits XWingPrivateKeySpec, X25519MLKEM768PrivateKeySpec {
    private volatile boolean destroyed;

    HybridPrivateKeySpec(byte[] key) {
        super(key);
    }

    /** Overwrites the private key bytes held by this spec with zeros. */
    @Override
    public final void destroy() {
        erase();
        destroyed = true;
    }

    @Override
    public final boolean isDestroyed() {
        return destroyed;
    }
}
