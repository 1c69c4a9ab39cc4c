package dev.qsp.provider.kem;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * The two hybrid KEMs of the provider and everything that differs between them: names, sizes, how the
 * private key expands into its ML-KEM-768 seed and X25519 scalar, and how the two shared secrets are combined
 * (SPEC.md §2). Encapsulation and decapsulation themselves are shared ({@link HybridKemSpi}).
 */
enum HybridKem {
    /** draft-connolly-cfrg-xwing-kem (final): private key = 32-byte seed, SHA3-256 combiner, 32-byte secret. */
    X_WING("X-Wing", "1.3.6.1.4.1.62253.25722", 32, 32, List.of("XWING")) {
        @Override
        Expanded expand(byte[] seed) {
            // draft §5.2 expandDecapsulationKey: expanded = SHAKE256(sk, 96*8);
            // (d, z) = expanded[0:64] for ML-KEM-768.KeyGen_internal, sk_X = expanded[64:96].
            // The JDK's public SHAKE256 digest ("SHAKE256-512") has a fixed 64-byte output, so the 96-byte
            // expansion uses Bouncy Castle's SHAKE-256 XOF.
            SHAKEDigest shake = new SHAKEDigest(256);
            shake.update(seed, 0, seed.length);
            byte[] expanded = new byte[96];
            shake.doFinal(expanded, 0, expanded.length);
            try {
                return new Expanded(Arrays.copyOfRange(expanded, 0, MlKem768.SEED_SIZE),
                        Arrays.copyOfRange(expanded, MlKem768.SEED_SIZE, 96));
            } finally {
                Arrays.fill(expanded, (byte) 0);
            }
        }

        @Override
        byte[] combine(byte[] ssM, byte[] ssX, byte[] ctX, byte[] pkX) {
            // draft §5.3 Combiner: SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ XWingLabel).
            MessageDigest sha3 = sha3_256();
            sha3.update(ssM);
            sha3.update(ssX);
            sha3.update(ctX);
            sha3.update(pkX);
            sha3.update(XWING_LABEL);
            return sha3.digest();
        }
    },

    /**
     * draft-ietf-tls-ecdhe-mlkem X25519MLKEM768: ML-KEM-768 first, secret = ss_M ‖ ss_X (64 bytes). The private
     * key is the ML-KEM-768 seed d ‖ z (FIPS 203 §7.1) followed by the X25519 scalar: 96 bytes.
     */
    X25519_MLKEM768("X25519MLKEM768", null, 96, 64, List.of()) {
        @Override
        Expanded expand(byte[] raw) {
            return new Expanded(Arrays.copyOfRange(raw, 0, MlKem768.SEED_SIZE),
                    Arrays.copyOfRange(raw, MlKem768.SEED_SIZE, MlKem768.SEED_SIZE + X25519Dh.SIZE));
        }

        @Override
        byte[] combine(byte[] ssM, byte[] ssX, byte[] ctX, byte[] pkX) {
            // draft-ietf-tls-ecdhe-mlkem §3: the shared secret is the concatenation, ML-KEM first.
            byte[] ss = new byte[ssM.length + ssX.length];
            System.arraycopy(ssM, 0, ss, 0, ssM.length);
            System.arraycopy(ssX, 0, ss, ssM.length, ssX.length);
            return ss;
        }
    };

    /** Public key (encapsulation key): ML-KEM-768 ek (1184) ‖ X25519 public key (32), for both KEMs. */
    static final int PUBLIC_KEY_SIZE = MlKem768.ENCAPSULATION_KEY_SIZE + X25519Dh.SIZE;
    /** Ciphertext (encapsulation): ML-KEM-768 ciphertext (1088) ‖ X25519 ephemeral public key (32). */
    static final int CIPHERTEXT_SIZE = MlKem768.CIPHERTEXT_SIZE + X25519Dh.SIZE;
    /** Randomness per encapsulation: ML-KEM-768 m (32) then the X25519 ephemeral scalar (32) (X-Wing eseed). */
    static final int ESEED_SIZE = MlKem768.MESSAGE_SIZE + X25519Dh.SIZE;

    /** XWingLabel = "\./" ‖ "/^\" = 5c2e2f2f5e5c (draft §5.3). */
    private static final byte[] XWING_LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};

    private static final Provider SUN = requireProvider("SUN");

    private final String algorithm;
    private final String oid;
    private final int privateKeySize;
    private final int secretSize;
    private final List<String> aliases;

    HybridKem(String algorithm, String oid, int privateKeySize, int secretSize, List<String> extraAliases) {
        this.algorithm = algorithm;
        this.oid = oid;
        this.privateKeySize = privateKeySize;
        this.secretSize = secretSize;
        this.aliases = oid == null ? extraAliases
                : java.util.stream.Stream.concat(extraAliases.stream(), java.util.stream.Stream.of(oid, "OID." + oid))
                        .toList();
    }

    /** The private key split into the ML-KEM-768 seed d ‖ z (64 bytes) and the X25519 scalar (32 bytes). */
    record Expanded(byte[] mlKemSeed, byte[] x25519Scalar) {
        void erase() {
            Arrays.fill(mlKemSeed, (byte) 0);
            Arrays.fill(x25519Scalar, (byte) 0);
        }
    }

    /** Splits or expands a private key of exactly {@link #privateKeySize()} bytes. */
    abstract Expanded expand(byte[] privateKey);

    /** Combines the component secrets into the KEM's shared secret. */
    abstract byte[] combine(byte[] ssM, byte[] ssX, byte[] ctX, byte[] pkX);

    /** The JCA standard-style name: {@code X-Wing} or {@code X25519MLKEM768}. */
    String algorithm() {
        return algorithm;
    }

    /** The object identifier of the key encodings, or {@code null} if the algorithm has none (raw only). */
    String oid() {
        return oid;
    }

    List<String> aliases() {
        return aliases;
    }

    int privateKeySize() {
        return privateKeySize;
    }

    int secretSize() {
        return secretSize;
    }

    /** The private key layout, for messages. */
    String privateKeyLayout() {
        return this == X_WING ? "the 32-byte seed" : "ML-KEM-768 seed d‖z 64 + X25519 scalar 32";
    }

    /** True if {@code name} is this algorithm's name or one of its aliases (case-insensitive, as the JCA does). */
    boolean isNamed(String name) {
        if (name == null) {
            return false;
        }
        if (algorithm.equalsIgnoreCase(name)) {
            return true;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return aliases.stream().anyMatch(a -> a.toUpperCase(Locale.ROOT).equals(upper));
    }

    private static MessageDigest sha3_256() {
        try {
            // Getting the digest from a held Provider object skips the provider-list search.
            return MessageDigest.getInstance("SHA3-256", SUN);
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("internal error: SUN provider has no SHA3-256", e);
        }
    }

    static Provider requireProvider(String name) {
        Provider p = Security.getProvider(name);
        if (p == null) {
            throw new ProviderException("The QSP hybrid KEMs need the JDK provider " + name
                    + ", which is not installed in this JVM");
        }
        return p;
    }
}
