package dev.qsp.provider.kem;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Arrays;

import javax.crypto.KEM;
import javax.security.auth.DestroyFailedException;

/**
 * A hybrid KEM private (decapsulation) key. It keeps its compact form (the X-Wing 32-byte seed, or
 * d ‖ z ‖ sk_X for X25519MLKEM768) and, as the X-Wing draft §5.5.1 allows, the expanded form computed once
 * when the key is made: the ML-KEM-768 key inside SunJCE (with its decapsulator), the X25519 scalar and the
 * public key. {@link #destroy()} erases the key bytes it owns; {@link #toString()} never shows them.
 * Not serializable: a secret does not leave the JVM except through an explicit encoding.
 */
final class HybridPrivateKey implements PrivateKey {
    @Serial
    private static final long serialVersionUID = 1L;

    private final HybridKem kem;
    private final byte[] raw;
    private final byte[] x25519Scalar;
    private final transient HybridPublicKey publicKey;
    private final transient PrivateKey mlKem;
    private final transient KEM.Decapsulator mlKemDecapsulator;
    private volatile boolean destroyed;

    private HybridPrivateKey(HybridKem kem, byte[] raw, byte[] x25519Scalar, HybridPublicKey publicKey,
                             PrivateKey mlKem) {
        this.kem = kem;
        this.raw = raw;
        this.x25519Scalar = x25519Scalar;
        this.publicKey = publicKey;
        this.mlKem = mlKem;
        this.mlKemDecapsulator = MlKem768.decapsulator(mlKem);
    }

    /**
     * The private key with compact form {@code raw} (copied) and its public key: X-Wing draft §5.2
     * expandDecapsulationKey, or for X25519MLKEM768 the split into d ‖ z and sk_X.
     */
    static HybridPrivateKey fromRaw(HybridKem kem, byte[] raw) throws InvalidKeyException {
        if (raw.length != kem.privateKeySize()) {
            throw new InvalidKeyException(kem.algorithm() + " private key must be " + kem.privateKeySize()
                    + " bytes (" + kem.privateKeyLayout() + "), got " + raw.length);
        }
        byte[] copy = raw.clone();
        HybridKem.Expanded expanded = kem.expand(copy);
        try {
            MlKem768.KeyPair mlKem = MlKem768.fromSeed(expanded.mlKemSeed());
            byte[] pkX = X25519Dh.publicKey(expanded.x25519Scalar());
            byte[] pk = Der.concat(mlKem.encapsulationKey(), pkX);
            HybridPublicKey publicKey = HybridPublicKey.derived(kem, pk, mlKem.jdkPublic());
            return new HybridPrivateKey(kem, copy, expanded.x25519Scalar().clone(), publicKey, mlKem.jdkPrivate());
        } finally {
            expanded.erase();
        }
    }

    HybridKem kem() {
        return kem;
    }

    /** The compact key; callers must not modify it. */
    byte[] raw() {
        checkNotDestroyed();
        return raw;
    }

    byte[] x25519Scalar() {
        checkNotDestroyed();
        return x25519Scalar;
    }

    HybridPublicKey publicKey() {
        return publicKey;
    }

    KEM.Decapsulator mlKemDecapsulator() {
        checkNotDestroyed();
        return mlKemDecapsulator;
    }

    @Override
    public String getAlgorithm() {
        return kem.algorithm();
    }

    @Override
    public String getFormat() {
        return kem.oid() != null ? "PKCS#8" : "RAW";
    }

    @Override
    public byte[] getEncoded() {
        checkNotDestroyed();
        return kem.oid() != null ? KeyCodec.encodePrivate(kem, raw) : raw.clone();
    }

    @Override
    public void destroy() throws DestroyFailedException {
        destroyed = true;
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(x25519Scalar, (byte) 0);
        mlKem.destroy(); // SunJCE's NamedPKCS8Key zeroes its key bytes
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException(kem.algorithm() + " private key has been destroyed");
        }
    }

    /** Equal keys have equal compact forms (compared in constant time). */
    @Override
    public boolean equals(Object o) {
        return o instanceof HybridPrivateKey k && k.kem == kem && !destroyed && !k.destroyed
                && MessageDigest.isEqual(k.raw, raw);
    }

    /** Does not depend on the key bytes, so a hash code leaks nothing. */
    @Override
    public int hashCode() {
        return kem.hashCode();
    }

    @Override
    public String toString() {
        return kem.algorithm() + " private key" + (destroyed ? " (destroyed)" : "");
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException(kem.algorithm() + " private keys are not serializable; "
                + "use getEncoded() or KeyFactory.getKeySpec");
    }
}
