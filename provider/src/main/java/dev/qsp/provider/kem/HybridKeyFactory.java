package dev.qsp.provider.kem;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactorySpi;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * {@code KeyFactory} {@code X-Wing} and {@code X25519MLKEM768} (SPEC.md §2). Key specs: the raw specs
 * ({@link XWingPublicKeySpec}, {@link XWingPrivateKeySpec}, {@link X25519MLKEM768PublicKeySpec},
 * {@link X25519MLKEM768PrivateKeySpec}) and, for X-Wing only, {@link X509EncodedKeySpec} and
 * {@link PKCS8EncodedKeySpec} with the draft's OID. Wrong lengths and encodings are refused with an
 * {@link InvalidKeySpecException} whose message says what was expected.
 */
public final class HybridKeyFactory extends KeyFactorySpi {
    private final HybridKem kem;
    private final Class<? extends HybridKeySpec> publicSpec;
    private final Class<? extends HybridKeySpec> privateSpec;

    private HybridKeyFactory(HybridKem kem, Class<? extends HybridKeySpec> publicSpec,
                             Class<? extends HybridKeySpec> privateSpec) {
        this.kem = kem;
        this.publicSpec = publicSpec;
        this.privateSpec = privateSpec;
    }

    /** {@return the SPI of {@code KeyFactory.getInstance("X-Wing")}} */
    public static HybridKeyFactory xWing() {
        return new HybridKeyFactory(HybridKem.X_WING, XWingPublicKeySpec.class, XWingPrivateKeySpec.class);
    }

    /** {@return the SPI of {@code KeyFactory.getInstance("X25519MLKEM768")}} */
    public static HybridKeyFactory x25519MlKem768() {
        return new HybridKeyFactory(HybridKem.X25519_MLKEM768, X25519MLKEM768PublicKeySpec.class,
                X25519MLKEM768PrivateKeySpec.class);
    }

    @Override
    protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
        try {
            if (publicSpec.isInstance(keySpec)) {
                return HybridPublicKey.fromRaw(kem, ((HybridKeySpec) keySpec).keyBytes());
            } else if (keySpec instanceof X509EncodedKeySpec x509 && kem.oid() != null) {
                return HybridPublicKey.fromRaw(kem, KeyCodec.decodePublic(kem, x509.getEncoded()));
            }
        } catch (InvalidKeyException e) {
            throw new InvalidKeySpecException(e.getMessage(), e);
        }
        throw unsupported(keySpec, "public", publicSpec, "X509EncodedKeySpec");
    }

    @Override
    protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
        try {
            if (privateSpec.isInstance(keySpec)) {
                return HybridPrivateKey.fromRaw(kem, ((HybridKeySpec) keySpec).keyBytes());
            } else if (keySpec instanceof PKCS8EncodedKeySpec pkcs8 && kem.oid() != null) {
                byte[] encoded = pkcs8.getEncoded();
                byte[] seed = null;
                try {
                    seed = KeyCodec.decodePrivate(kem, encoded);
                    return HybridPrivateKey.fromRaw(kem, seed);
                } finally {
                    Arrays.fill(encoded, (byte) 0);
                    if (seed != null) {
                        Arrays.fill(seed, (byte) 0);
                    }
                }
            }
        } catch (InvalidKeyException e) {
            throw new InvalidKeySpecException(e.getMessage(), e);
        }
        throw unsupported(keySpec, "private", privateSpec, "PKCS8EncodedKeySpec");
    }

    @Override
    protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
        if (keySpec == null) {
            throw new InvalidKeySpecException("null key spec class");
        }
        try {
            if (key instanceof PublicKey) {
                HybridPublicKey pk = KeyCodec.toPublicKey(kem, key);
                if (keySpec.isAssignableFrom(publicSpec)) {
                    return keySpec.cast(kem == HybridKem.X_WING
                            ? new XWingPublicKeySpec(pk.raw()) : new X25519MLKEM768PublicKeySpec(pk.raw()));
                } else if (keySpec.isAssignableFrom(X509EncodedKeySpec.class) && kem.oid() != null) {
                    return keySpec.cast(new X509EncodedKeySpec(pk.getEncoded()));
                }
            } else if (key instanceof PrivateKey) {
                HybridPrivateKey sk = KeyCodec.toPrivateKey(kem, key);
                if (keySpec.isAssignableFrom(privateSpec)) {
                    return keySpec.cast(kem == HybridKem.X_WING
                            ? new XWingPrivateKeySpec(sk.raw()) : new X25519MLKEM768PrivateKeySpec(sk.raw()));
                } else if (keySpec.isAssignableFrom(PKCS8EncodedKeySpec.class) && kem.oid() != null) {
                    byte[] encoded = sk.getEncoded();
                    try {
                        return keySpec.cast(new PKCS8EncodedKeySpec(encoded));
                    } finally {
                        Arrays.fill(encoded, (byte) 0);
                    }
                }
            } else {
                throw new InvalidKeySpecException(kem.algorithm() + " KeyFactory needs a public or private key, got "
                        + (key == null ? "null" : key.getClass().getName()));
            }
        } catch (InvalidKeyException e) {
            throw new InvalidKeySpecException(e.getMessage(), e);
        }
        throw new InvalidKeySpecException(kem.algorithm() + " KeyFactory cannot give a " + keySpec.getName()
                + " for a " + (key instanceof PublicKey ? "public" : "private") + " key; supported: "
                + (key instanceof PublicKey ? publicSpec.getSimpleName() : privateSpec.getSimpleName())
                + (kem.oid() == null ? "" : key instanceof PublicKey ? ", X509EncodedKeySpec" : ", PKCS8EncodedKeySpec"));
    }

    @Override
    protected Key engineTranslateKey(Key key) throws InvalidKeyException {
        if (key instanceof PublicKey) {
            return KeyCodec.toPublicKey(kem, key);
        } else if (key instanceof PrivateKey) {
            return KeyCodec.toPrivateKey(kem, key);
        }
        throw new InvalidKeyException(kem.algorithm() + " KeyFactory translates public and private keys only, got "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private InvalidKeySpecException unsupported(KeySpec keySpec, String kind, Class<?> rawSpec, String encodedSpec) {
        if (keySpec == null) {
            return new InvalidKeySpecException(kem.algorithm() + " " + kind + " key spec is null");
        }
        if ((keySpec instanceof X509EncodedKeySpec || keySpec instanceof PKCS8EncodedKeySpec) && kem.oid() == null) {
            return new InvalidKeySpecException(KeyCodec.noOid(kem, keySpec instanceof X509EncodedKeySpec
                    ? "X.509" : "PKCS#8") + " " + rawSpec.getSimpleName());
        }
        return new InvalidKeySpecException(kem.algorithm() + " KeyFactory cannot make a " + kind + " key from a "
                + keySpec.getClass().getName() + "; supported: " + rawSpec.getSimpleName()
                + (kem.oid() != null ? ", " + encodedSpec : ""));
    }
}
