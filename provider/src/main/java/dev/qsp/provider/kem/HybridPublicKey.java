package dev.qsp.provider.kem;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.security.InvalidKeyException;
import java.security.KeyRep;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A hybrid KEM public (encapsulation) key: ML-KEM-768 ek (1184 bytes) ‖ X25519 public key (32 bytes).
 * Immutable. Encoded as X.509 SubjectPublicKeyInfo for X-Wing and as the raw 1216 bytes for X25519MLKEM768,
 * which has no standard OID (SPEC.md §2).
 */
final class HybridPublicKey implements PublicKey {
    @Serial
    private static final long serialVersionUID = 1L;

    private final HybridKem kem;
    private final byte[] raw;
    /** The ML-KEM part imported into SunJCE once, so each encapsulation skips the import. */
    private final transient java.security.PublicKey mlKem;
    /** Cached result of the RFC 7748 §6.1 small-order test of the X25519 part (one scalar multiplication). */
    private transient volatile Boolean x25519SmallOrder;

    private HybridPublicKey(HybridKem kem, byte[] raw, java.security.PublicKey mlKem) {
        this.kem = kem;
        this.raw = raw;
        this.mlKem = mlKem;
    }

    /** A public key from its raw encoding (copied), which must have exactly 1216 bytes. */
    static HybridPublicKey fromRaw(HybridKem kem, byte[] raw) throws InvalidKeyException {
        if (raw.length != HybridKem.PUBLIC_KEY_SIZE) {
            throw new InvalidKeyException(kem.algorithm() + " public key must be " + HybridKem.PUBLIC_KEY_SIZE
                    + " bytes (ML-KEM-768 encapsulation key 1184 + X25519 32), got " + raw.length);
        }
        byte[] copy = raw.clone();
        return new HybridPublicKey(kem, copy,
                MlKem768.importEncapsulationKey(Arrays.copyOf(copy, MlKem768.ENCAPSULATION_KEY_SIZE)));
    }

    /** A public key just derived from a private key; {@code raw} is taken over, not copied. */
    static HybridPublicKey derived(HybridKem kem, byte[] raw, java.security.PublicKey mlKem) {
        return new HybridPublicKey(kem, raw, mlKem);
    }

    HybridKem kem() {
        return kem;
    }

    /** The raw key; callers must not modify it. */
    byte[] raw() {
        return raw;
    }

    java.security.PublicKey mlKem() {
        return mlKem;
    }

    /** The X25519 public key pk_X (a copy). */
    byte[] x25519() {
        return Arrays.copyOfRange(raw, MlKem768.ENCAPSULATION_KEY_SIZE, HybridKem.PUBLIC_KEY_SIZE);
    }

    boolean x25519HasSmallOrder() {
        Boolean b = x25519SmallOrder;
        if (b == null) {
            b = X25519Dh.hasSmallOrder(x25519());
            x25519SmallOrder = b;
        }
        return b;
    }

    @Override
    public String getAlgorithm() {
        return kem.algorithm();
    }

    @Override
    public String getFormat() {
        return kem.oid() != null ? "X.509" : "RAW";
    }

    @Override
    public byte[] getEncoded() {
        return kem.oid() != null ? KeyCodec.encodePublic(kem, raw) : raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HybridPublicKey k && k.kem == kem && Arrays.equals(k.raw, raw);
    }

    @Override
    public int hashCode() {
        return 31 * kem.hashCode() + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return kem.algorithm() + " public key (" + raw.length + " bytes)";
    }

    /** Serialized as a {@link KeyRep}, re-created through the registered KeyFactory. */
    @Serial
    private Object writeReplace() {
        return new KeyRep(KeyRep.Type.PUBLIC, getAlgorithm(), getFormat(), getEncoded());
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("hybrid public keys are serialized as KeyRep");
    }
}
