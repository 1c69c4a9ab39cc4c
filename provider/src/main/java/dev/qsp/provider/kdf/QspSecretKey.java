package dev.qsp.provider.kdf;

import java.io.Serial;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A secret produced by the key schedule that can be erased: {@link #destroy()} overwrites it, after which
 * {@link #getEncoded()} throws. {@link #toString()} never shows key material.
 *
 * <p>SunJCE's AES/GCM and ChaCha20-Poly1305 ciphers accept it as a key: they only read {@link #getFormat()}
 * ("RAW"), {@link #getEncoded()} and, for AES, {@link #getAlgorithm()} (checked by {@code QspKdfJcaTest}).
 */
public final class QspSecretKey implements SecretKey {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The algorithm name of key-schedule stage secrets (handshake secret, epoch secrets, finished keys). */
    public static final String STAGE_SECRET = "QSP-Secret";

    /** The key's algorithm name. */
    private final String algorithm;
    /** The key bytes, zeroed by {@link #destroy()}. */
    private final byte[] key;
    /** Whether {@link #destroy()} ran. */
    private volatile boolean destroyed;

    /**
     * Wraps a copy of {@code key}; the caller should erase its own array.
     *
     * @param key       the key bytes (not empty)
     * @param algorithm the key's algorithm name, e.g. {@code "AES"} or {@code "QSP-Secret"}
     */
    public QspSecretKey(byte[] key, String algorithm) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("key must be non-empty");
        }
        if (algorithm == null || algorithm.isEmpty()) {
            throw new IllegalArgumentException("algorithm must be non-empty");
        }
        this.key = SecretArrays.copy(key);
        this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() { return algorithm; }

    @Override
    public String getFormat() { return "RAW"; }

    /** A copy of the key bytes. @throws IllegalStateException once destroyed */
    @Override
    public byte[] getEncoded() {
        if (destroyed) throw new IllegalStateException("key has been destroyed");
        return SecretArrays.copy(key);
    }

    /** {@return the key length in bytes (allowed after destruction)} */
    public int length() { return key.length; }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() { return destroyed; }

    /** Constant-time comparison of key bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof QspSecretKey k && !destroyed && !k.destroyed
                && algorithm.equals(k.algorithm) && MessageDigest.isEqual(key, k.key);
    }

    @Override
    public int hashCode() { return algorithm.hashCode() * 31 + key.length; }

    @Override
    public String toString() {
        return "QspSecretKey[" + algorithm + ", " + key.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
    }
}
