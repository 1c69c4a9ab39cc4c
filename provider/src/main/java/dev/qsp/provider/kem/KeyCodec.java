package dev.qsp.provider.kem;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Key encodings and key translation for the hybrid KEMs (SPEC.md §2).
 *
 * <p>X-Wing (draft §5.8): SubjectPublicKeyInfo with id-XWing (1.3.6.1.4.1.62253.25722), parameters absent,
 * the 1216-byte key as the BIT STRING; PKCS#8 PrivateKeyInfo v1 with id-XWing, parameters absent, the
 * privateKey OCTET STRING holding the raw 32-byte seed. X25519MLKEM768 has no standard OID, so its keys have
 * only the raw encoding (format {@code RAW}).
 */
final class KeyCodec {
    private static final byte[] XWING_OID = Der.oid(HybridKem.X_WING.oid());
    private static final byte[] XWING_SPKI_PREFIX = Der.spkiPrefix(XWING_OID, HybridKem.PUBLIC_KEY_SIZE);
    private static final byte[] XWING_PKCS8_PREFIX =
            Der.pkcs8Prefix(XWING_OID, HybridKem.X_WING.privateKeySize(), false);

    private KeyCodec() {
    }

    static byte[] encodePublic(HybridKem kem, byte[] raw) {
        requireOid(kem);
        return Der.concat(XWING_SPKI_PREFIX, raw);
    }

    static byte[] encodePrivate(HybridKem kem, byte[] raw) {
        requireOid(kem);
        return Der.concat(XWING_PKCS8_PREFIX, raw);
    }

    /** The raw public key inside an X-Wing SubjectPublicKeyInfo. */
    static byte[] decodePublic(HybridKem kem, byte[] spki) throws InvalidKeyException {
        if (kem.oid() == null) {
            throw new InvalidKeyException(noOid(kem, "X.509"));
        }
        if (!Der.hasShape(spki, XWING_SPKI_PREFIX, HybridKem.PUBLIC_KEY_SIZE)) {
            throw new InvalidKeyException(kem.algorithm() + " X.509 key must be the "
                    + (XWING_SPKI_PREFIX.length + HybridKem.PUBLIC_KEY_SIZE) + "-byte DER SubjectPublicKeyInfo with"
                    + " OID " + kem.oid() + ", absent parameters and a " + HybridKem.PUBLIC_KEY_SIZE
                    + "-byte key; got " + spki.length + " bytes that do not match it");
        }
        return Arrays.copyOfRange(spki, XWING_SPKI_PREFIX.length, spki.length);
    }

    /** The raw 32-byte seed inside an X-Wing PKCS#8 PrivateKeyInfo (the caller erases the result). */
    static byte[] decodePrivate(HybridKem kem, byte[] pkcs8) throws InvalidKeyException {
        if (kem.oid() == null) {
            throw new InvalidKeyException(noOid(kem, "PKCS#8"));
        }
        if (!Der.hasShape(pkcs8, XWING_PKCS8_PREFIX, kem.privateKeySize())) {
            throw new InvalidKeyException(kem.algorithm() + " PKCS#8 key must be the "
                    + (XWING_PKCS8_PREFIX.length + kem.privateKeySize()) + "-byte DER PrivateKeyInfo (version 0) with"
                    + " OID " + kem.oid() + ", absent parameters, no attributes and the " + kem.privateKeySize()
                    + "-byte seed as privateKey; got " + pkcs8.length + " bytes that do not match it");
        }
        return Arrays.copyOfRange(pkcs8, XWING_PKCS8_PREFIX.length, pkcs8.length);
    }

    static String noOid(HybridKem kem, String format) {
        return kem.algorithm() + " has no standard OID, so it has no " + format + " encoding: use the raw key spec";
    }

    /** Our public key for {@code kem}, converting a foreign key through its X.509 or RAW encoding. */
    static HybridPublicKey toPublicKey(HybridKem kem, Key key) throws InvalidKeyException {
        if (key == null) {
            throw new InvalidKeyException(kem.algorithm() + " needs a public key, got null");
        }
        if (key instanceof HybridPublicKey k) {
            if (k.kem() != kem) {
                throw wrongAlgorithm(kem, key, "public");
            }
            return k;
        }
        if (!(key instanceof PublicKey)) {
            throw new InvalidKeyException(kem.algorithm() + " needs a public key, got a "
                    + key.getClass().getSimpleName() + " (" + key.getAlgorithm() + ")");
        }
        if (!kem.isNamed(key.getAlgorithm())) {
            throw wrongAlgorithm(kem, key, "public");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException(kem.algorithm() + " public key is not extractable (getEncoded() is null)");
        }
        String format = key.getFormat();
        if ("X.509".equalsIgnoreCase(format)) {
            return HybridPublicKey.fromRaw(kem, decodePublic(kem, encoded));
        } else if ("RAW".equalsIgnoreCase(format)) {
            return HybridPublicKey.fromRaw(kem, encoded);
        }
        throw new InvalidKeyException(kem.algorithm() + " public key has unsupported format " + format
                + " (supported: " + (kem.oid() != null ? "X.509, " : "") + "RAW)");
    }

    /** Our private key for {@code kem}, converting a foreign key through its PKCS#8 or RAW encoding. */
    static HybridPrivateKey toPrivateKey(HybridKem kem, Key key) throws InvalidKeyException {
        if (key == null) {
            throw new InvalidKeyException(kem.algorithm() + " needs a private key, got null");
        }
        if (key instanceof HybridPrivateKey k) {
            if (k.kem() != kem) {
                throw wrongAlgorithm(kem, key, "private");
            }
            if (k.isDestroyed()) {
                throw new InvalidKeyException(kem.algorithm() + " private key has been destroyed");
            }
            return k;
        }
        if (!(key instanceof PrivateKey)) {
            throw new InvalidKeyException(kem.algorithm() + " needs a private key, got a "
                    + key.getClass().getSimpleName() + " (" + key.getAlgorithm() + ")");
        }
        if (!kem.isNamed(key.getAlgorithm())) {
            throw wrongAlgorithm(kem, key, "private");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException(kem.algorithm() + " private key is not extractable (getEncoded() is null)");
        }
        String format = key.getFormat();
        byte[] raw = null;
        try {
            if ("PKCS#8".equalsIgnoreCase(format)) {
                raw = decodePrivate(kem, encoded);
            } else if ("RAW".equalsIgnoreCase(format)) {
                raw = encoded.clone();
            } else {
                throw new InvalidKeyException(kem.algorithm() + " private key has unsupported format " + format
                        + " (supported: " + (kem.oid() != null ? "PKCS#8, " : "") + "RAW)");
            }
            return HybridPrivateKey.fromRaw(kem, raw);
        } finally {
            Arrays.fill(encoded, (byte) 0);
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    private static InvalidKeyException wrongAlgorithm(HybridKem kem, Key key, String kind) {
        return new InvalidKeyException(kem.algorithm() + " needs an " + kem.algorithm() + " " + kind
                + " key, got a key of algorithm " + key.getAlgorithm());
    }

    private static void requireOid(HybridKem kem) {
        if (kem.oid() == null) {
            throw new IllegalStateException(noOid(kem, "DER"));
        }
    }
}
