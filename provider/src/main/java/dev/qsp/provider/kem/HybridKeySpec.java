package dev.qsp.provider.kem;

import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * The raw encoding of a hybrid KEM key, for {@code KeyFactory.getInstance("X-Wing" | "X25519MLKEM768", "QSP")}.
 * The bytes are copied in and out; their length is checked by the KeyFactory, which reports a wrong length
 * with an {@link java.security.spec.InvalidKeySpecException} that says what was expected (SPEC.md §2).
 */
public abstract sealed class HybridKeySpec implements KeySpec
        permits XWingPublicKeySpec, X25519MLKEM768PublicKeySpec, HybridPrivateKeySpec {
    private final byte[] key;

    HybridKeySpec(byte[] key) {
        this.key = Objects.requireNonNull(key, "key").clone();
    }

    /** {@return the algorithm the key belongs to ({@code X-Wing} or {@code X25519MLKEM768})} */
    public abstract String getAlgorithm();

    /** {@return a copy of the raw key bytes} */
    public final byte[] getKey() {
        return key.clone();
    }

    /** The key bytes without a copy, for the KeyFactory. */
    final byte[] keyBytes() {
        return key;
    }

    /** Overwrites the key bytes held by this spec with zeros (private key specs expose it as destroy()). */
    final void erase() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " (" + key.length + " bytes)";
    }
}
